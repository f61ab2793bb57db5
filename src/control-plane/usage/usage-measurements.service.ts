import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { QuotaAlerts } from '../alerts/quota-alerts';
import { AuditService } from '../audit/audit.service';
import { PlanQuotas } from '../plans/plan-quotas.service';
import { MIB } from '../quotas/quota-figures';
import { WORKER_DATA_SOURCE } from '../database/control-plane-connection';
import { TenantLookup } from '../tenants/tenant-lookup.service';
import { UsageMeasurementQueuedDto } from './dto/usage-measurement-queued.dto';
import { TenantUsageMeasurer } from './tenant-usage-measurer';
import { UsageQueue } from './usage-queue';
import { UsageStore } from './usage-store';
import { utcDay } from './utc-day';

/** Rows and storage measurements: asked for by a platform admin or by the daily schedule, run as jobs. */
@Injectable()
export class UsageMeasurements {
  private readonly logger = new Logger(UsageMeasurements.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectDataSource(WORKER_DATA_SOURCE) private readonly background: DataSource,
    private readonly queue: UsageQueue,
    private readonly store: UsageStore,
    private readonly measurer: TenantUsageMeasurer,
    private readonly tenants: TenantLookup,
    private readonly audit: AuditService,
    private readonly quotas: PlanQuotas,
    private readonly quotaAlerts: QuotaAlerts,
  ) {}

  /** Enqueues a measurement of the tenant, audited in the same transaction. */
  async request(tenantId: string): Promise<UsageMeasurementQueuedDto> {
    await this.tenants.find(tenantId);
    const jobId = await this.dataSource.transaction(async (manager) => {
      const id = await this.queue.enqueue(manager, { tenantId });
      await this.audit.record(manager, { action: 'tenant_usage.measure', targetType: 'tenant', targetId: tenantId, tenantId });
      return id;
    });
    this.queue.wake();
    return { jobId };
  }

  /**
   * The measurement job: today's row gets the tenant's rows and storage, replacing an earlier
   * measurement of the day (which the change feed announces: every process's storage quota figure
   * follows). An attempt whose time ran out records nothing: its retry measures afresh. A tenant from
   * 90% of its storage quota on is alerted about.
   */
  async measure(tenantId: string, signal: AbortSignal): Promise<void> {
    const measurement = await this.measurer.measure(tenantId);
    if (!measurement) {
      this.logger.log(`Tenant ${tenantId} is not active: its usage was not measured`);
      return;
    }
    signal.throwIfAborted();
    await this.store.recordMeasurement(tenantId, utcDay(), measurement);
    const storage = await this.quotas.storageMb(tenantId);
    if (storage) this.quotaAlerts.nearlyReached(tenantId, storage, Math.round((measurement.storageBytes / MIB) * 100) / 100, 'storageMb');
  }

  /** The daily job: one measurement job per active tenant, all enqueued or none. */
  async measureFleet(): Promise<void> {
    const tenantIds = await this.store.activeTenantIds();
    await this.background.transaction(async (manager) => {
      for (const tenantId of tenantIds) await this.queue.enqueue(manager, { tenantId });
    });
    this.queue.wake();
  }
}
