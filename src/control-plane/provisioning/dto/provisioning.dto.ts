import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsString, IsUUID, MaxLength } from 'class-validator';

export class ProvisioningJobDto {
  @ApiProperty({ format: 'uuid' })
  jobId: string;

  @ApiProperty({ format: 'uuid' })
  tenantId: string;

  @ApiProperty({ type: 'integer', example: 0, description: 'Retries so far' })
  retryCount: number;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  startedOn: Date | null;

  @ApiProperty({ nullable: true, type: String, example: 'database: connection refused' })
  error: string | null;
}

export class ProvisioningOverviewDto {
  @ApiProperty({ example: { created: 0, retry: 1, active: 1, completed: 40, cancelled: 0, failed: 2 }, description: 'Jobs per state' })
  jobs: Record<string, number>;

  @ApiProperty({ type: 'integer', example: 1, description: 'Jobs waiting to run (new or due for a retry)' })
  queueDepth: number;

  @ApiProperty({ type: [ProvisioningJobDto] })
  running: ProvisioningJobDto[];

  @ApiProperty({ type: [ProvisioningJobDto], description: 'Jobs waiting for a retry after a failure' })
  retrying: ProvisioningJobDto[];

  @ApiProperty({ type: [ProvisioningJobDto], description: 'The 20 most recent jobs that failed for good' })
  failed: ProvisioningJobDto[];

  @ApiProperty({ example: { provisioning: 1, failed: 2 }, description: 'Tenants per provisioning status' })
  tenants: Record<string, number>;
}

export class OrphanReportDto {
  @ApiProperty({ format: 'uuid' })
  databaseServerId: string;

  @ApiProperty({ type: [String], example: ['tenant_0b6f…'] })
  databases: string[];

  @ApiProperty({ type: [String], example: ['tenant_0b6f…_app'] })
  roles: string[];
}

export class RemoveOrphansDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  databaseServerId: string;

  @ApiProperty({ type: [String], description: 'Databases to drop; only those still orphans are dropped' })
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(63, { each: true })
  databases: string[];

  @ApiProperty({ type: [String], description: 'Roles to drop; only those still orphans are dropped' })
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @MaxLength(63, { each: true })
  roles: string[];
}
