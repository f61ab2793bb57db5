import { Type } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Page } from './cursor-pagination';

/**
 * The documented page of `item`s. Extend it under the schema's name, e.g.
 * `class NotePageDto extends PageDtoOf(NoteDto) {}`: the OpenAPI schema takes the subclass's name.
 */
export function PageDtoOf<T>(item: Type<T>, itemsDescription?: string): Type<Page<T>> {
  abstract class PageDto implements Page<T> {
    @ApiProperty({ type: [item], ...(itemsDescription ? { description: itemsDescription } : {}) })
    items: T[];

    @ApiProperty({ nullable: true, type: String })
    nextCursor: string | null;
  }
  return PageDto as Type<Page<T>>;
}
