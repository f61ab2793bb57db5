import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DATA_SOURCE_KINDS, DataSourceKind, DataSourceSettings, EntityMapping, Introspection } from '../../../../libs/byod';
import { DATA_SOURCE_STATUSES, DataSourceStatus, TenantDataSource } from '../../schema/tenant-data-source.entity';

/** Connection settings with every secret left out: only whether one is set, and header names. */
export type PublicConnection =
  | {
      host: string;
      port: number;
      database: string;
      user: string;
      passwordSet: boolean;
      schema?: string;
      tls?: { enabled: boolean; rejectUnauthorized: boolean };
    }
  | { baseUrl: string; healthPath?: string; apiKeySet: boolean; headerNames: string[] };

export function publicConnection(settings: DataSourceSettings): PublicConnection {
  if (settings.kind === 'rest') {
    const { baseUrl, healthPath, apiKey, headers } = settings.connection;
    return { baseUrl, ...(healthPath ? { healthPath } : {}), apiKeySet: Boolean(apiKey), headerNames: Object.keys(headers ?? {}) };
  }
  const { host, port, database, user, password, schema, tls } = settings.connection;
  return { host, port, database, user, passwordSet: password.length > 0, ...(schema ? { schema } : {}), ...(tls ? { tls } : {}) };
}

export class DataSourceDto {
  @ApiProperty({ format: 'uuid' })
  tenantId: string;

  @ApiProperty({ enum: DATA_SOURCE_KINDS, example: 'mysql' })
  kind: DataSourceKind;

  @ApiProperty({
    description: 'Without secrets: no password, API key or header values',
    example: { host: 'db.customer.example', port: 3306, database: 'dealership_crm', user: 'crm_reader', passwordSet: true },
  })
  connection: PublicConnection;

  @ApiProperty({ example: false })
  readOnly: boolean;

  @ApiProperty({
    enum: DATA_SOURCE_STATUSES,
    example: 'tested',
    description: 'configured → tested (POST …/test) → active (POST …/activate)',
  })
  status: DataSourceStatus;

  @ApiPropertyOptional({
    nullable: true,
    description: 'What the last successful test found',
    example: {
      kind: 'mysql',
      tables: [
        {
          name: 'vehicles',
          columns: [{ name: 'vehicle_id', type: 'text', rawType: 'varchar(32)', nullable: false, hasDefault: false, primaryKey: true }],
        },
      ],
    },
  })
  introspection: Introspection | null;

  @ApiPropertyOptional({ nullable: true, example: { inventory_item: { table: 'vehicles', fields: { sku: 'vehicle_id' } } } })
  mappings: Record<string, EntityMapping> | null;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' })
  testedAt: Date | null;

  @ApiPropertyOptional({ nullable: true, type: String, format: 'date-time' })
  activatedAt: Date | null;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time' })
  updatedAt: Date;

  static from(source: TenantDataSource, settings: DataSourceSettings): DataSourceDto {
    return {
      tenantId: source.tenantId,
      kind: source.kind,
      connection: publicConnection(settings),
      readOnly: source.readOnly,
      status: source.status,
      introspection: source.introspection,
      mappings: source.mappings,
      testedAt: source.testedAt,
      activatedAt: source.activatedAt,
      createdAt: source.createdAt,
      updatedAt: source.updatedAt,
    };
  }
}

export class DataSourceTestDto extends DataSourceDto {
  @ApiPropertyOptional({
    description: 'rest sources: what the base URL answered',
    example: { url: 'https://api.customer.example/v2/health', status: 200, contentType: 'application/json', bytes: 17 },
  })
  endpoint?: { url: string; status: number; contentType: string | null; bytes: number };
}
