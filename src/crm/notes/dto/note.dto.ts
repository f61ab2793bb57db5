import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { IsDisplayText } from '../../../platform/validation/text';
import { Note } from '../entities/note.entity';
import { PatchType } from '../../../platform/validation/patch-type';

export class CreateNoteDto {
  @ApiProperty({ example: 'Call Acme about renewal', maxLength: 200 })
  @IsDisplayText(200)
  title: string;

  @ApiPropertyOptional({ example: 'They want a 3-year deal.', maxLength: 20000 })
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  body?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Another note of the same tenant' })
  @IsOptional()
  @IsUUID()
  parentId?: string;
}

export class UpdateNoteDto extends PatchType(CreateNoteDto) {}

export class ListNotesQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of the title' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

export class NoteDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  title: string;

  @ApiProperty()
  body: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  parentId: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt: Date;

  static from(note: Note): NoteDto {
    const { id, title, body, parentId, createdAt, updatedAt } = note;
    return { id, title, body, parentId, createdAt, updatedAt };
  }
}

export class NotePageDto extends PageDtoOf(NoteDto) {}
