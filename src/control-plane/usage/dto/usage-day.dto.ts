import { ApiProperty } from '@nestjs/swagger';
import { TenantUsageDay } from '../../schema/tenant-usage-day.entity';

/** One tenant's usage on one UTC day. */
export class UsageDayDto {
  @ApiProperty({ format: 'date', example: '2026-12-05' })
  day: string;

  @ApiProperty({ type: 'integer', description: 'Answered /api requests of the tenant, refused ones included' })
  apiCalls: number;

  @ApiProperty({ type: 'integer', description: 'Requests other than GET and HEAD that answered 2xx' })
  writes: number;

  @ApiProperty({
    type: 'integer',
    description: 'Distinct users (an API key counts as the user who created it) who called the API that day',
  })
  activeUsers: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    nullable: true,
    description: 'Rows of each tenant table, by table name, when the day was measured; empty for byod tenants (their data is theirs)',
    example: { contacts: 120, accounts: 14 },
  })
  rowsByEntity: Record<string, number> | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The sum of `rowsByEntity`; null until measured' })
  rows: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Storage in bytes (see `storageNote`); null until measured' })
  storageBytes: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'What `storageBytes` counts for the tenant’s placement' })
  storageNote: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When rows and storage were last measured that day' })
  measuredAt: string | null;

  static from(row: TenantUsageDay): UsageDayDto {
    return {
      day: row.day,
      apiCalls: Number(row.apiCalls),
      writes: Number(row.writes),
      activeUsers: row.activeUsers,
      rowsByEntity: row.rowsByEntity,
      rows: row.totalRows === null ? null : Number(row.totalRows),
      storageBytes: row.storageBytes === null ? null : Number(row.storageBytes),
      storageNote: row.storageNote,
      measuredAt: row.measuredAt ? new Date(row.measuredAt).toISOString() : null,
    };
  }
}
