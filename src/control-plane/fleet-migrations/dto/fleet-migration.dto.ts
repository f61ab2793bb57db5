import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { FleetMigrationRun } from '../../schema/fleet-migration-run.entity';
import { FleetMigrationTarget } from '../../schema/fleet-migration-target.entity';

export class StartFleetMigrationDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 32, default: 4, description: 'Databases migrated at the same time' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(32)
  concurrency?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, example: 5, description: 'Migrate this many databases first; stop if any fails' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10_000)
  canary?: number;

  @ApiPropertyOptional({ example: 'acme', description: 'Only this tenant’s database (a pooled tenant: its whole pool)' })
  @IsOptional()
  @IsString()
  @MaxLength(63)
  tenant?: string;

  @ApiPropertyOptional({ default: false, description: 'List what would run where; change nothing' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;
}

export class FleetMigrationTargetDto {
  @ApiProperty({ example: 'tenant:0b6f…' })
  target: string;

  @ApiProperty({ enum: ['dedicated', 'pool', 'template'] })
  kind: string;

  @ApiProperty({ example: 'acme' })
  label: string;

  @ApiProperty({ enum: ['pending', 'migrated', 'current', 'failed', 'skipped'] })
  status: string;

  @ApiProperty({ type: [String], description: 'Migrations applied (dry run: that would be)' })
  applied: string[];

  @ApiProperty({ nullable: true, type: String, description: 'Why it failed or was skipped, e.g. "locked by another runner …"' })
  error: string | null;

  @ApiProperty({ type: 'integer', nullable: true })
  durationMs: number | null;

  static from(target: FleetMigrationTarget): FleetMigrationTargetDto {
    const { target: key, kind, label, status, applied, error, durationMs } = target;
    return { target: key, kind, label, status, applied, error, durationMs };
  }
}

export class FleetMigrationRunDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({
    enum: ['queued', 'running', 'succeeded', 'incomplete', 'failed', 'interrupted'],
    description:
      '`succeeded` only if every database is done; `incomplete`: some were skipped (locked by another runner, see each target’s error); ' +
      '`interrupted`: the runner stopped sending heartbeats (killed); a later run resumes it (`resumedBy`)',
  })
  status: string;

  @ApiProperty({ example: 'Notes1763880000001' })
  targetVersion: string;

  @ApiProperty({ type: StartFleetMigrationDto })
  options: object;

  @ApiProperty({ example: { pending: 0, migrated: 28, current: 0, failed: 2, skipped: 0 }, description: 'Databases per status' })
  counts: Record<string, number>;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  startedAt: Date | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  finishedAt: Date | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'Renewed every few seconds while the runner is alive' })
  heartbeatAt: Date | null;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The run that took over the databases this interrupted or incomplete run left',
  })
  resumedBy: string | null;

  @ApiProperty({
    nullable: true,
    type: String,
    example: null,
    description: 'Why the run itself stopped (databases’ errors are on their targets)',
  })
  error: string | null;

  @ApiPropertyOptional({ type: [FleetMigrationTargetDto], description: 'Every database of the run (GET by id only)' })
  targets?: FleetMigrationTargetDto[];

  static from(run: FleetMigrationRun, targets: FleetMigrationTarget[] = [], withTargets = false): FleetMigrationRunDto {
    const counts: Record<string, number> = { pending: 0, migrated: 0, current: 0, failed: 0, skipped: 0 };
    for (const target of targets) counts[target.status] += 1;
    const { id, status, targetVersion, options, createdAt, startedAt, finishedAt, heartbeatAt, resumedBy, error } = run;
    const dto = { id, status, targetVersion, options, counts, createdAt, startedAt, finishedAt, heartbeatAt, resumedBy, error };
    return { ...dto, ...(withTargets ? { targets: targets.map(FleetMigrationTargetDto.from) } : {}) };
  }
}
