import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsUUID, Matches, Max, Min } from 'class-validator';
import { TenantPool } from '../../schema/tenant-pool.entity';

export class CreateTenantPoolDto {
  @ApiProperty({ example: 'eu1', description: 'a-z, 0-9, _; becomes part of the database name' })
  @Matches(/^[a-z][a-z0-9_]{0,39}$/, {
    message: 'name must be lower-case letters, digits and _, starting with a letter, at most 40 characters',
  })
  name: string;

  @ApiProperty({ format: 'uuid', description: 'The registered database server that holds the pooled database' })
  @IsUUID()
  databaseServerId: string;

  @ApiProperty({ type: 'integer', example: 1000 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxTenants: number;
}

export class TenantPoolDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'eu1' })
  name: string;

  @ApiProperty({ format: 'uuid' })
  databaseServerId: string;

  @ApiProperty({ example: 'tenantry_pool_eu1' })
  databaseName: string;

  @ApiProperty({ type: 'integer', example: 1000 })
  maxTenants: number;

  @ApiProperty({ example: 'active' })
  status: string;

  @ApiProperty({ type: 'integer', example: 340, description: 'Tenants placed in it (purged ones not counted): what `maxTenants` caps' })
  tenants: number;

  @ApiProperty({ nullable: true, type: String })
  schemaVersion: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  static from(pool: TenantPool, tenants: number): TenantPoolDto {
    const { id, name, databaseServerId, databaseName, maxTenants, status, schemaVersion, createdAt } = pool;
    return { id, name, databaseServerId, databaseName, maxTenants, status, tenants, schemaVersion, createdAt };
  }
}
