import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { CursorField, cursorFields, decodeCursor, encodeCursor } from '../../../libs/tenancy/records/cursor-codec';
import { SortOrder } from '../../../libs/tenancy/records/sort-order';

export const MAX_PAGE_SIZE = 100;

export class CursorPaginationQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page’s `nextCursor`' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

/** One page of a list: the items and the cursor of the next page, null on the last. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Orders by (createdAt, id) and continues after the cursor; fetches one extra row for `toPage`. */
export function applyKeyset<T extends ObjectLiteral>(
  builder: SelectQueryBuilder<T>,
  query: CursorPaginationQueryDto,
): SelectQueryBuilder<T> {
  const alias = builder.alias;
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor, [cursorFields.date, cursorFields.text]);
    builder.andWhere(`(${alias}.createdAt, ${alias}.id) > (:cursorCreatedAt, :cursorId)`, { cursorCreatedAt: createdAt, cursorId: id });
  }
  return builder
    .orderBy(`${alias}.createdAt`, 'ASC')
    .addOrderBy(`${alias}.id`, 'ASC')
    .limit(query.limit + 1);
}

/** Builds a page from `limit + 1` rows fetched by `applyKeyset`: the extra row only says another page exists. */
export function toPage<Row extends { createdAt: Date; id: string }, T>(rows: Row[], limit: number, map: (row: Row) => T): Page<T> {
  return toSortedPage(rows, limit, (row) => row.createdAt, map);
}

/**
 * Keyset pagination on any sortable property (ties broken by id): the cursor holds the sort
 * value and id of the page's last row, so rows inserted meanwhile are neither skipped nor repeated.
 * `valueField` checks the cursor's sort value (text unless the property is bound as a timestamp).
 */
export function applySortedKeyset<T extends ObjectLiteral>(
  builder: SelectQueryBuilder<T>,
  order: SortOrder<string>,
  query: CursorPaginationQueryDto,
  valueField: CursorField<string> = cursorFields.text,
): SelectQueryBuilder<T> {
  const alias = builder.alias;
  const { property, direction } = order;
  if (query.cursor) {
    const [value, id] = decodeCursor(query.cursor, [valueField, cursorFields.uuid]);
    builder.andWhere(`(${alias}.${property}, ${alias}.id) ${direction === 'ASC' ? '>' : '<'} (:cursorValue, :cursorId)`, {
      cursorValue: value,
      cursorId: id,
    });
  }
  return builder
    .orderBy(`${alias}.${property}`, direction)
    .addOrderBy(`${alias}.id`, direction)
    .limit(query.limit + 1);
}

/** Builds a page from `limit + 1` rows; the cursor is the last item's sort value and id. */
export function toSortedPage<Row extends { id: string }, T>(
  rows: Row[],
  limit: number,
  sortValue: (row: Row) => string | Date,
  map: (row: Row) => T,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  if (rows.length <= limit || !last) return { items: items.map(map), nextCursor: null };
  const value = sortValue(last);
  return { items: items.map(map), nextCursor: encodeCursor([value instanceof Date ? value.toISOString() : value, last.id]) };
}
