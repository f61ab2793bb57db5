import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { COPY_METHODS, TENANT_MOVE_STATUSES, TenantMove } from '../../schema/tenant-move.entity';

export const MOVE_PLACEMENTS = ['pooled', 'dedicated'] as const;

export class StartTenantMoveDto {
  @ApiProperty({ enum: MOVE_PLACEMENTS, example: 'dedicated', description: 'Where the tenant is to live' })
  @IsIn(MOVE_PLACEMENTS)
  placement: (typeof MOVE_PLACEMENTS)[number];

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'The server to move to (dedicated: its own database there; pooled: a pool on it). Default: the one with most room.',
  })
  @IsOptional()
  @IsUUID()
  databaseServerId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Pooled only: the pool to move into. Default: the pool with most room.' })
  @IsOptional()
  @IsUUID()
  poolId?: string;
}

export class MoveEndDto {
  @ApiProperty({ enum: MOVE_PLACEMENTS })
  placement: string;

  @ApiProperty({ format: 'uuid' })
  databaseServerId: string;

  @ApiProperty({ example: 'tenantry_pool_default' })
  databaseName: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  tenantPoolId: string | null;
}

export class TenantMoveStepDto {
  @ApiProperty({ enum: ['prepare', 'bulk_copy', 'catch_up', 'freeze', 'final_catch_up', 'verify', 'switch'] })
  step: string;

  @ApiProperty({ type: 'integer', description: 'The attempt of the move’s job that ran it' })
  attempt: number;

  @ApiProperty({ enum: ['running', 'succeeded', 'skipped', 'failed'] })
  status: string;

  @ApiProperty({ nullable: true, type: String })
  detail: string | null;

  @ApiProperty({ format: 'date-time' })
  startedAt: string;

  @ApiProperty({ type: 'integer', nullable: true })
  durationMs: number | null;
}

export class VerifiedTableDto {
  @ApiProperty({ example: 'contacts' })
  table: string;

  @ApiProperty({ type: 'integer' })
  sourceRows: number;

  @ApiProperty({ type: 'integer' })
  targetRows: number;

  @ApiProperty({
    description:
      'Sum of a 64-bit hash of each row (hash_record_extended; hashtextextended of its text where a column type has no hash function)',
  })
  sourceChecksum: string;

  @ApiProperty()
  targetChecksum: string;
}

export class TenantMoveDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  tenantId: string;

  @ApiProperty({
    enum: TENANT_MOVE_STATUSES,
    description: '`failed`: the tenant serves from the source; retry or abandon. `completed`: it serves from the target.',
  })
  status: string;

  @ApiProperty({ type: MoveEndDto })
  source: MoveEndDto;

  @ApiProperty({ type: MoveEndDto })
  target: MoveEndDto;

  @ApiProperty({
    enum: COPY_METHODS,
    nullable: true,
    description:
      '`logical_replication` when the source server has wal_level=logical (bulk copy and catch-up while the tenant writes, a short freeze); ' +
      '`copy_under_freeze` otherwise (every row copied while writes are frozen: a longer freeze). Null until chosen.',
  })
  copyMethod: string | null;

  @ApiProperty({ type: [TenantMoveStepDto] })
  steps: TenantMoveStepDto[];

  @ApiProperty({ type: [VerifiedTableDto], nullable: true, description: 'What the verify step compared' })
  tables: VerifiedTableDto[] | null;

  @ApiProperty({ nullable: true, type: String })
  failureReason: string | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'How long the tenant’s writes were frozen' })
  freezeMs: number | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'The old copy is removed after this' })
  retainSourceUntil: Date | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  sourceRemovedAt: Date | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finishedAt: Date | null;

  static from(move: TenantMove): TenantMoveDto {
    const end = (value: TenantMove['source']): MoveEndDto => ({
      placement: value.placement,
      databaseServerId: value.databaseServerId ?? '',
      databaseName: value.databaseName ?? '',
      tenantPoolId: value.tenantPoolId ?? null,
    });
    return {
      id: move.id,
      tenantId: move.tenantId,
      status: move.status,
      source: end(move.source),
      target: end(move.target),
      copyMethod: move.copyMethod,
      steps: move.steps,
      tables: move.tables,
      failureReason: move.failureReason,
      freezeMs: move.freezeMs,
      retainSourceUntil: move.retainSourceUntil,
      sourceRemovedAt: move.sourceRemovedAt,
      createdAt: move.createdAt,
      finishedAt: move.finishedAt,
    };
  }
}

export class DrainRefusalDto {
  @ApiProperty({ format: 'uuid' })
  tenantId: string;

  @ApiProperty({ example: 'No other database server has room for a dedicated tenant' })
  reason: string;
}

export class ServerDrainDto {
  @ApiProperty({ format: 'uuid' })
  databaseServerId: string;

  @ApiProperty({ enum: ['draining'], description: 'New tenants and moves no longer go to a draining server' })
  status: string;

  @ApiProperty({ type: [TenantMoveDto], description: 'Moves started (or already under way) off the server' })
  moves: TenantMoveDto[];

  @ApiProperty({ type: [DrainRefusalDto], description: 'Tenants that could not be moved, and why' })
  refused: DrainRefusalDto[];
}
