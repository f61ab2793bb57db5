import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';

export const HOSTNAME_PATTERN =
  /^(?=.{1,253}$)([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$|^\[?[0-9a-fA-F:.]+\]?$/;

export class CreateDatabaseServerDto {
  @ApiProperty({ example: 'pg-eu-1', description: 'Unique name: a-z, 0-9, hyphens' })
  @Matches(/^[a-z][a-z0-9-]{0,62}$/, { message: 'name must be lower-case letters, digits and hyphens, starting with a letter' })
  name: string;

  @ApiProperty({ example: 'db1.internal.example', description: 'Hostname or IP address' })
  @Matches(HOSTNAME_PATTERN, { message: 'host must be a hostname or an IP address' })
  host: string;

  @ApiProperty({ type: 'integer', example: 5432 })
  @IsInt()
  @Min(1)
  @Max(65535)
  port: number;

  @ApiProperty({ example: 'tenantry_admin', description: 'A role that may create databases and roles' })
  @Matches(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, { message: 'adminUser must be a plain PostgreSQL role name' })
  adminUser: string;

  @ApiProperty({ writeOnly: true, description: 'Stored encrypted (AES-256-GCM); never returned' })
  @IsString()
  @MaxLength(1024)
  adminPassword: string;

  @ApiProperty({ type: 'integer', example: 500, description: 'How many tenant databases this server may hold' })
  @IsInt()
  @Min(1)
  @Max(100_000)
  maxDatabases: number;

  @IsConnectionBudget()
  connectionBudget?: number | null;

  @IsBehindTransactionPooler()
  behindTransactionPooler?: boolean;

  @IsPoolerHost()
  poolerHost?: string | null;

  @IsPoolerPort()
  poolerPort?: number | null;
}

/** A server's connection budget, as registering and changing a server take it. */
export function IsConnectionBudget() {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      example: 200,
      nullable: true,
      description:
        'Connections all Tenantry processes together may hold to tenant databases on this server, split evenly across the live ' +
        'processes (at least one pool each); at most its max_connections when that can be read. null or absent: no per-server budget',
    }),
    IsOptional(),
    IsInt(),
    Min(1),
    Max(100_000),
  );
}

/** Whether tenant connections go through a transaction-mode pooler, as registering and changing a server take it. */
export function IsBehindTransactionPooler() {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'boolean',
      default: false,
      description:
        'Tenant connections reach this server through a transaction-mode pooler (e.g. PgBouncer with pool_mode=transaction): ' +
        'they then use no named prepared statements and no startup parameters, and bind the tenant and settings in every transaction',
    }),
    IsOptional(),
    IsBoolean(),
  );
}

export function IsPoolerHost() {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'string',
      example: 'pgbouncer.internal.example',
      nullable: true,
      description: 'Host tenant connections use instead of `host` (the pooler); needs poolerPort. null or absent: `host`',
    }),
    IsOptional(),
    Matches(HOSTNAME_PATTERN, { message: 'poolerHost must be a hostname or an IP address' }),
  );
}

export function IsPoolerPort() {
  return applyDecorators(
    ApiPropertyOptional({
      type: 'integer',
      example: 6432,
      nullable: true,
      description:
        'Port tenant connections use instead of `port` (the pooler). Admin work (creating databases and roles, migrations) ' +
        'always connects to host:port, bypassing the pooler. null or absent: `port`',
    }),
    // A pooler host without a port would send tenant connections to the pooler's host on PostgreSQL's port.
    ValidateIf((dto: { poolerHost?: string | null; poolerPort?: number | null }) => dto.poolerPort != null || dto.poolerHost != null),
    IsInt({ message: 'poolerPort must be an integer, and is required with poolerHost' }),
    Min(1),
    Max(65535),
  );
}
