import { BadRequestException } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, isISO8601, IsOptional, IsString, isUUID, Max, MaxLength, Min } from 'class-validator';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

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

/** Position after the last row of a page, for keyset pagination ordered by (created_at, id). */
export interface CursorPosition {
  createdAt: string;
  id: string;
}

export function encodeCursor(position: { createdAt: Date; id: string }): string {
  return Buffer.from(JSON.stringify([position.createdAt.toISOString(), position.id])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (isCursorText(createdAt) && isCursorText(id) && !Number.isNaN(Date.parse(createdAt))) {
      return { createdAt, id };
    }
  } catch {
    // fall through to the 400 below
  }
  throw new BadRequestException({ message: 'cursor is invalid', details: [{ field: 'cursor', problems: ['cursor is invalid'] }] });
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Builds a page from `limit + 1` fetched rows: the extra row only says another page exists. */
export function toPage<Row extends { createdAt: Date; id: string }, T>(rows: Row[], limit: number, map: (row: Row) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(map), nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}

/** Orders by (createdAt, id) and continues after the cursor; fetches one extra row for `toPage`. */
export function applyKeyset<T extends ObjectLiteral>(builder: SelectQueryBuilder<T>, query: CursorPaginationQueryDto): SelectQueryBuilder<T> {
  const alias = builder.alias;
  if (query.cursor) {
    const position = decodeCursor(query.cursor);
    builder.andWhere(`(${alias}.createdAt, ${alias}.id) > (:cursorCreatedAt, :cursorId)`, {
      cursorCreatedAt: position.createdAt,
      cursorId: position.id,
    });
  }
  return builder.orderBy(`${alias}.createdAt`, 'ASC').addOrderBy(`${alias}.id`, 'ASC').limit(query.limit + 1);
}

export type SortDirection = 'ASC' | 'DESC';

/**
 * Keyset pagination on any sortable property (ties broken by id): the cursor holds the sort
 * value and id of the page's last row, so rows inserted meanwhile are neither skipped nor repeated.
 */
export function applySortedKeyset<T extends ObjectLiteral>(
  builder: SelectQueryBuilder<T>,
  property: string,
  direction: SortDirection,
  query: CursorPaginationQueryDto,
): SelectQueryBuilder<T> {
  const alias = builder.alias;
  if (query.cursor) {
    const [value, id] = decodeSortedCursor(query.cursor);
    builder.andWhere(`(${alias}.${property}, ${alias}.id) ${direction === 'ASC' ? '>' : '<'} (:cursorValue, :cursorId)`, { cursorValue: value, cursorId: id });
  }
  return builder.orderBy(`${alias}.${property}`, direction).addOrderBy(`${alias}.id`, direction).limit(query.limit + 1);
}

export function toSortedPage<Row extends { id: string }, T>(rows: Row[], limit: number, sortValue: (row: Row) => string | Date, map: (row: Row) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  if (rows.length <= limit || !last) return { items: items.map(map), nextCursor: null };
  const value = sortValue(last);
  const cursor = Buffer.from(JSON.stringify([value instanceof Date ? value.toISOString() : value, last.id])).toString('base64url');
  return { items: items.map(map), nextCursor: cursor };
}

/** The sort value and id in a cursor from `toSortedPage`; a cursor that is not one is a 400. */
export function decodeSortedCursor(cursor: string, valueKind: 'text' | 'timestamp' = 'text'): [string, string] {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const [value, id] = Array.isArray(decoded) && decoded.length === 2 ? decoded : [];
    if (isCursorText(value) && typeof id === 'string' && isUUID(id)) {
      if (valueKind === 'text' || isISO8601(value, { strict: true })) return [value, id];
    }
  } catch {
    // fall through to the 400 below
  }
  throw new BadRequestException({ message: 'cursor is invalid', details: [{ field: 'cursor', problems: ['cursor is invalid'] }] });
}

/**
 * A string a cursor may carry. Cursors are base64 the global NUL check cannot see into, so the
 * decoded text is checked here: U+0000 is no value we ever encoded and PostgreSQL cannot take it.
 */
export function isCursorText(value: unknown): value is string {
  return typeof value === 'string' && !value.includes('\u0000');
}
