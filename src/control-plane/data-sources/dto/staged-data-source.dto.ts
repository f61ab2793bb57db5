import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DATA_SOURCE_KINDS, DataSourceKind, DataSourceSettings, EntityMapping, Introspection } from '../../../../libs/byod';
import { TenantStagedDataSource } from '../../schema/tenant-staged-data-source.entity';
import { PublicConnection, publicConnection } from './data-source.dto';

export const STAGED_DATA_SOURCE_STATUSES = ['configured', 'tested'] as const;
export type StagedDataSourceStatus = (typeof STAGED_DATA_SOURCE_STATUSES)[number];

/** New settings staged beside the data source that keeps serving; never a secret. */
export class StagedDataSourceDto {
  @ApiProperty({ format: 'uuid' })
  tenantId: string;

  @ApiProperty({ enum: DATA_SOURCE_KINDS, example: 'postgres' })
  kind: DataSourceKind;

  @ApiProperty({
    description: 'Without secrets: no password, API key or header values',
    example: { host: 'db2.customer.example', port: 5432, database: 'crm', user: 'crm_reader', passwordSet: true },
  })
  connection: PublicConnection;

  @ApiProperty({ example: false, description: 'Takes effect with the switch' })
  readOnly: boolean;

  @ApiProperty({
    enum: STAGED_DATA_SOURCE_STATUSES,
    example: 'tested',
    description: 'configured → tested (POST …/data-source/staged/test); new staged settings start over at `configured`',
  })
  status: StagedDataSourceStatus;

  @ApiPropertyOptional({ nullable: true, description: 'What the last successful test of the staged settings found' })
  introspection: Introspection | null;

  @ApiPropertyOptional({
    nullable: true,
    description: 'The mappings that take over with the switch; a test copies the current ones when none are staged and they fit',
    example: { inventory_item: { table: 'stock_items', fields: { sku: 'item_code' } } },
  })
  mappings: Record<string, EntityMapping> | null;

  @ApiProperty({
    type: [String],
    description: 'What the switch still needs; empty when POST …/data-source/staged/switch will succeed',
    example: ['a successful test of the staged settings (POST …/data-source/staged/test)'],
  })
  missing: string[];

  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' })
  testedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;

  static from(staged: TenantStagedDataSource, settings: DataSourceSettings, missing: string[]): StagedDataSourceDto {
    return {
      tenantId: staged.tenantId,
      kind: staged.kind,
      connection: publicConnection(settings),
      readOnly: staged.readOnly,
      status: staged.introspection ? 'tested' : 'configured',
      introspection: staged.introspection,
      mappings: staged.mappings,
      missing,
      testedAt: staged.testedAt,
      createdAt: staged.createdAt,
      updatedAt: staged.updatedAt,
    };
  }
}

export class StagedDataSourceTestDto extends StagedDataSourceDto {
  @ApiPropertyOptional({
    description: 'rest sources: what the base URL answered',
    example: { url: 'https://api2.customer.example/v3/health', status: 200, contentType: 'application/json', bytes: 17 },
  })
  endpoint?: { url: string; status: number; contentType: string | null; bytes: number };
}
