import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsString, IsUUID, MaxLength, ValidateIf, ValidateNested } from 'class-validator';
import { CreateTenantDto } from '../../tenants/dto/create-tenant.dto';

export class CreateTenantRestoreDto {
  @ApiProperty({ format: 'uuid', description: 'A completed export or backup' })
  @IsUUID()
  archiveId: string;

  @ApiProperty({
    enum: ['new', 'same'],
    description:
      '`new`: into a new tenant, registered and provisioned as usual (`tenant`); `same`: over the archive’s tenant, replacing all its data',
  })
  @IsIn(['new', 'same'])
  into: 'new' | 'same';

  @ApiPropertyOptional({ example: 'acme', description: '`same` only: the tenant’s slug, to confirm its data is to be replaced' })
  @ValidateIf((dto: CreateTenantRestoreDto) => dto.into === 'same' || dto.confirm !== undefined)
  @IsString()
  @MaxLength(63)
  confirm?: string;

  @ApiPropertyOptional({ type: CreateTenantDto, description: '`new` only: the tenant to create (pooled or dedicated)' })
  @ValidateIf((dto: CreateTenantRestoreDto) => dto.into === 'new' || dto.tenant !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => CreateTenantDto)
  tenant?: CreateTenantDto;
}

export class TenantRestoreDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  archiveId: string;

  @ApiProperty({ format: 'uuid', description: 'The tenant whose data is replaced' })
  targetTenantId: string;

  @ApiProperty({ enum: ['new', 'same'] })
  mode: 'new' | 'same';

  @ApiProperty({ enum: ['pending', 'completed', 'failed'] })
  status: 'pending' | 'completed' | 'failed';

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    nullable: true,
    example: { contacts: 120 },
    description: 'Rows restored per table',
  })
  restoredRows: Record<string, number> | null;

  @ApiProperty({ type: String, nullable: true })
  failureReason: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  completedAt: Date | null;
}

export interface TenantRestoreRow {
  id: string;
  archive_id: string;
  target_tenant_id: string;
  mode: 'new' | 'same';
  status: 'pending' | 'completed' | 'failed';
  restored_rows: Record<string, number> | null;
  failure_reason: string | null;
  created_at: Date;
  completed_at: Date | null;
}

export function toRestoreDto(row: TenantRestoreRow): TenantRestoreDto {
  return {
    id: row.id,
    archiveId: row.archive_id,
    targetTenantId: row.target_tenant_id,
    mode: row.mode,
    status: row.status,
    restoredRows: row.restored_rows,
    failureReason: row.failure_reason,
    createdAt: row.created_at,
    completedAt: row.completed_at,
  };
}
