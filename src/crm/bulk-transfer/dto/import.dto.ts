import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsString, Matches, MaxLength } from 'class-validator';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { TRANSFER_ENTITIES, TransferEntityName } from '../transfer-entities';

export const IMPORT_FORMATS = ['csv', 'ndjson'] as const;
export const IMPORT_MODES = ['all_or_nothing', 'skip_invalid'] as const;
export const IMPORT_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;

export class StartImportQueryDto {
  @ApiProperty({ enum: TRANSFER_ENTITIES, description: 'What the file holds; the caller needs its write permission' })
  @IsIn(TRANSFER_ENTITIES)
  entity: TransferEntityName;

  @ApiProperty({
    enum: IMPORT_FORMATS,
    description:
      '`csv`: a header row naming the fields (`customFields.<key>` for custom fields), one record a row, empty cells absent; ' +
      '`ndjson`: one JSON object a line, shaped like the create route’s body. Fields of the API’s answers (id, createdAt, ...) are ignored.',
  })
  @IsIn(IMPORT_FORMATS)
  format: (typeof IMPORT_FORMATS)[number];

  @ApiProperty({
    enum: IMPORT_MODES,
    description:
      '`all_or_nothing`: one transaction, nothing is written if any row fails (not offered for a tenant whose data lives in its own system); ' +
      '`skip_invalid`: valid rows land, failing ones are reported',
  })
  @IsIn(IMPORT_MODES)
  mode: (typeof IMPORT_MODES)[number];

  @ApiProperty({
    description:
      'The field that identifies a record, so running the same file again creates nothing twice and changes what changed: ' +
      'accounts `name` or `domain`, contacts `email` or `phone`, inventory-items `sku`, or `customFields.<key>` (accounts, contacts). ' +
      'Every row must carry it; a row whose key matches a live record changes that record.',
  })
  @IsString()
  @MaxLength(80)
  @Matches(/^[A-Za-z][A-Za-z0-9_.]*$/, { message: 'externalKey must be a field name such as email or customFields.erp_id' })
  externalKey: string;
}

export class ImportDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: TRANSFER_ENTITIES })
  entity: string;

  @ApiProperty({ enum: IMPORT_FORMATS })
  format: string;

  @ApiProperty({ enum: IMPORT_MODES })
  mode: string;

  @ApiProperty({ example: 'email' })
  externalKey: string;

  @ApiProperty({ enum: IMPORT_STATUSES, description: '`completed` with rowsFailed > 0: skip_invalid landed the valid rows' })
  status: string;

  @ApiProperty({ type: 'integer', description: 'Size of the uploaded file' })
  sizeBytes: number;

  @ApiProperty({ type: 'integer', description: 'Rows read from the file so far' })
  rowsRead: number;

  @ApiProperty({
    type: 'integer',
    description: 'Rows that landed (created, changed, or already as in the file); 0 for a failed all_or_nothing import',
  })
  rowsWritten: number;

  @ApiProperty({ type: 'integer', description: 'Rows refused; GET /api/imports/{id}/errors says why' })
  rowsFailed: number;

  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Why the import as a whole failed (a malformed file, a rolled-back all_or_nothing import)',
  })
  failure: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finishedAt: Date | null;
}

export class ImportRowErrorDto {
  @ApiProperty({
    type: 'integer',
    example: 7,
    description: '1-based row of the file (the CSV header not counted), line of an NDJSON file not counting blank ones',
  })
  row: number;

  @ApiProperty({ example: 'email', description: 'The field at fault; empty for the row as a whole' })
  field: string;

  @ApiProperty({ example: 'email must be an email' })
  message: string;
}

export class ImportErrorsQueryDto extends CursorPaginationQueryDto {}

export class ImportErrorPageDto extends PageDtoOf(ImportRowErrorDto, 'In row order') {}

export class ExportQueryDto {
  @ApiPropertyOptional({ enum: IMPORT_FORMATS, default: 'csv' })
  @IsIn(IMPORT_FORMATS)
  format: (typeof IMPORT_FORMATS)[number] = 'csv';
}
