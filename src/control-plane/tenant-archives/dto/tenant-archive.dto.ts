import { ApiProperty, OmitType } from '@nestjs/swagger';
import { PageDtoOf } from '../../../platform/pagination/page.dto';

export class ArchivedTableDto {
  @ApiProperty({ example: 'contacts' })
  name: string;

  @ApiProperty({ type: 'integer', example: 120 })
  rows: number;

  @ApiProperty({
    example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    description: 'sha256 of the table’s NDJSON file',
  })
  sha256: string;
}

/** An archive of one tenant's data: an export asked for, or a scheduled backup. */
export class TenantArchiveDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  tenantId: string;

  @ApiProperty({ enum: ['export', 'backup'] })
  kind: 'export' | 'backup';

  @ApiProperty({ enum: ['pending', 'completed', 'failed'], description: '`pending` until its job has written it' })
  status: 'pending' | 'completed' | 'failed';

  @ApiProperty({ type: 'integer', nullable: true, example: 48213, description: 'Size of the .tar.gz in bytes' })
  sizeBytes: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'sha256 of the .tar.gz' })
  sha256: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'TenantIdStatistics1764000000001',
    description: 'The tenant schema version the data was read from',
  })
  schemaVersion: string | null;

  @ApiProperty({
    type: [ArchivedTableDto],
    nullable: true,
    description: 'Tables with their row counts and checksums, as the manifest lists them',
  })
  tables: ArchivedTableDto[] | null;

  @ApiProperty({ type: String, nullable: true })
  failureReason: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: Date | null;

  @ApiProperty({ type: 'integer', example: 3600, description: 'Seconds since it was asked for' })
  ageSeconds: number;
}

export class TenantArchivePageDto extends PageDtoOf(TenantArchiveDto, 'Newest first') {}

/** An export as the tenant's own admins see it: nothing of the hosting (schema versions, internal failure reasons). */
export class TenantExportDto extends OmitType(TenantArchiveDto, ['schemaVersion', 'failureReason'] as const) {}

export class TenantExportPageDto extends PageDtoOf(TenantExportDto, 'Newest first') {}

export function toTenantExportDto(archive: TenantArchiveDto): TenantExportDto {
  const { id, tenantId, kind, status, sizeBytes, sha256, tables, createdAt, completedAt, ageSeconds } = archive;
  return { id, tenantId, kind, status, sizeBytes, sha256, tables, createdAt, completedAt, ageSeconds };
}

export interface TenantArchiveRow {
  id: string;
  tenant_id: string;
  kind: 'export' | 'backup';
  status: 'pending' | 'completed' | 'failed';
  size_bytes: string | null;
  sha256: string | null;
  schema_version: string | null;
  tables: ArchivedTableDto[] | null;
  failure_reason: string | null;
  created_at: Date;
  completed_at: Date | null;
  file_name: string | null;
}

export function toArchiveDto(row: TenantArchiveRow): TenantArchiveDto {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    kind: row.kind,
    status: row.status,
    sizeBytes: row.size_bytes === null ? null : Number(row.size_bytes),
    sha256: row.sha256,
    schemaVersion: row.schema_version,
    tables: row.tables,
    failureReason: row.failure_reason,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    ageSeconds: Math.max(0, Math.floor((Date.now() - row.created_at.getTime()) / 1000)),
  };
}
