import { ApiProperty } from '@nestjs/swagger';
import { DATABASE_SERVER_STATUSES, DatabaseServer, DatabaseServerStatus } from '../../schema/database-server.entity';

/** How full a server is: the tenant databases on it, counted when it is read. */
export interface DatabaseServerFill {
  tenantDatabases: number;
  tenantPools: number;
}

/** A database server as the API shows it: the admin password never leaves the control plane. */
export class DatabaseServerDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'pg-eu-1' })
  name: string;

  @ApiProperty({ example: 'db1.internal.example' })
  host: string;

  @ApiProperty({ type: 'integer', example: 5432 })
  port: number;

  @ApiProperty({ example: 'tenantry_admin' })
  adminUser: string;

  @ApiProperty({ type: 'integer', example: 500 })
  maxDatabases: number;

  @ApiProperty({
    type: 'integer',
    example: 200,
    nullable: true,
    description: 'Connections all processes together may hold to its tenant databases; null: none declared',
  })
  connectionBudget: number | null;

  @ApiProperty({ description: 'Tenant connections go through a transaction-mode pooler (no named statements, no startup parameters)' })
  behindTransactionPooler: boolean;

  @ApiProperty({
    type: 'string',
    example: 'pgbouncer.internal.example',
    nullable: true,
    description: 'null: tenant connections use `host`',
  })
  poolerHost: string | null;

  @ApiProperty({ type: 'integer', example: 6432, nullable: true, description: 'null: tenant connections use `port`' })
  poolerPort: number | null;

  @ApiProperty({ enum: DATABASE_SERVER_STATUSES })
  status: DatabaseServerStatus;

  @ApiProperty({
    type: 'integer',
    example: 120,
    description: 'Dedicated tenant databases it holds (purged tenants not counted): what `maxDatabases` caps',
  })
  tenantDatabases: number;

  @ApiProperty({ type: 'integer', example: 2, description: 'Pooled tenant databases (tenant pools) it holds' })
  tenantPools: number;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt: Date;

  static from(server: DatabaseServer, fill: DatabaseServerFill): DatabaseServerDto {
    const { id, name, host, port, adminUser, maxDatabases, connectionBudget, status, createdAt, updatedAt } = server;
    return {
      id,
      name,
      host,
      port,
      adminUser,
      maxDatabases,
      connectionBudget: connectionBudget ?? null,
      behindTransactionPooler: server.behindTransactionPooler ?? false,
      poolerHost: server.poolerHost ?? null,
      poolerPort: server.poolerPort ?? null,
      status,
      ...fill,
      createdAt,
      updatedAt,
    };
  }
}
