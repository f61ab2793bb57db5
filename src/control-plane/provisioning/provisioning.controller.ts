import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PlatformAdmin } from '../../platform/access/access.decorators';
import { OrphanReportDto, ProvisioningJobDto, ProvisioningOverviewDto, RemoveOrphansDto } from './dto/provisioning.dto';
import { OrphanReconciler } from './orphan-reconciler';
import { ProvisioningQueue } from './provisioning-queue';

@ApiTags('control: provisioning')
@PlatformAdmin()
@Controller('control/provisioning')
export class ProvisioningController {
  constructor(
    private readonly queue: ProvisioningQueue,
    private readonly orphans: OrphanReconciler,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Provisioning queue: depth, running, retrying and failed jobs, tenants per status' })
  @ApiOkResponse({ type: ProvisioningOverviewDto })
  async overview(): Promise<ProvisioningOverviewDto> {
    const [jobs, running, retrying, failed, tenantRows] = await Promise.all([
      this.queue.countByState(),
      this.queue.jobs('active', 100),
      this.queue.jobs('retry', 100),
      this.queue.jobs('failed', 20),
      this.dataSource.query<Array<{ status: string; count: number }>>(
        `SELECT status, count(*)::int AS count FROM tenants WHERE status IN ('provisioning', 'failed') GROUP BY status`,
      ),
    ]);
    const tenants: Record<string, number> = { provisioning: 0, failed: 0 };
    for (const row of tenantRows) tenants[row.status] = row.count;
    return {
      jobs,
      queueDepth: jobs.created + jobs.retry,
      running: running.map(toJobDto),
      retrying: retrying.map(toJobDto),
      failed: failed.map(toJobDto),
      tenants,
    };
  }

  @Get('orphans')
  @ApiOperation({
    summary: 'Databases and roles on registered servers that carry this control plane’s ownership mark but that no tenant or pool owns',
    description: 'Objects without this control plane’s mark (another control plane’s on a shared server, or anyone’s) are never listed.',
  })
  @ApiOkResponse({ type: [OrphanReportDto] })
  findOrphans(): Promise<OrphanReportDto[]> {
    return this.orphans.find();
  }

  @Post('orphans/remove')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Drop the named orphan databases and roles of one server',
    description:
      'Ownership marks and rows are read again at drop time: names that are not (or no longer) this control plane’s orphans are ignored.',
  })
  @ApiOkResponse({ type: OrphanReportDto, description: 'What was dropped' })
  removeOrphans(@Body() dto: RemoveOrphansDto): Promise<OrphanReportDto> {
    return this.orphans.remove(dto.databaseServerId, dto);
  }
}

function toJobDto(job: { id: string; data: unknown; retryCount: number; startedOn: Date | null; output: unknown }): ProvisioningJobDto {
  const output = job.output as { message?: string; value?: { message?: string } } | null;
  return {
    jobId: job.id,
    tenantId: (job.data as { tenantId: string }).tenantId,
    retryCount: job.retryCount,
    startedOn: job.startedOn,
    error: output?.message ?? output?.value?.message ?? null,
  };
}
