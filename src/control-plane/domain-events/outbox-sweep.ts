import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DataSourceRegistry } from '../../../libs/tenancy/data-source-registry';
import { isOutboxMissing, tenantsWithPendingEvents } from '../../../libs/tenancy/outbox/outbox-relay';
import { TenantDirectoryCache } from '../../../libs/tenancy/tenant-directory-cache';
import { boundTenantOf, BoundTenant } from '../../../libs/tenancy/tenant-placement';
import { OutboxRelay } from './outbox-relay';

interface TenantDatabaseRow {
  id: string;
  placement: 'pooled' | 'dedicated';
  tenant_pool_id: string | null;
}

/** Tenants whose outbox may still hold events: their database exists and is not purged. */
const SWEPT_STATUSES = ['active', 'suspended', 'deleted'];

/**
 * Relays what kicks left behind (a process killed between a commit and its relay, a relay that
 * failed): one query per pooled database finds its tenants with pending events, and each
 * dedicated database is relayed directly (one short transaction when it has none). Run by the sweep job;
 * everything it does is a relay, which is idempotent and serialised per tenant by the outbox's
 * relay lock, so two sweeps at once (an expired attempt still running) only wait on each other.
 * A database whose schema predates the outbox is skipped: nothing can be pending there.
 */
@Injectable()
export class OutboxSweep {
  private readonly logger = new Logger(OutboxSweep.name);

  constructor(
    @InjectDataSource() private readonly controlPlane: DataSource,
    @Inject(TenantDirectoryCache) private readonly directory: TenantDirectoryCache,
    @Inject(DataSourceRegistry) private readonly registry: DataSourceRegistry,
    private readonly relay: OutboxRelay,
  ) {}

  /** Relays every pending event; returns how many moved. Throws after trying every database if any failed, so the job is retried. */
  async sweep(signal?: AbortSignal): Promise<number> {
    const rows = await this.controlPlane.query<TenantDatabaseRow[]>(
      `SELECT id, placement, tenant_pool_id FROM tenants WHERE placement IN ('pooled', 'dedicated') AND status = ANY($1) ORDER BY id`,
      [SWEPT_STATUSES],
    );
    const pools = new Map<string, string>();
    for (const row of rows) if (row.placement === 'pooled' && row.tenant_pool_id) pools.set(row.tenant_pool_id, row.id);
    let relayed = 0;
    let failures = 0;
    const attempt = async (what: string, work: () => Promise<number>) => {
      signal?.throwIfAborted();
      try {
        relayed += await work();
      } catch (error) {
        if (isOutboxMissing(error)) return;
        failures += 1;
        this.logger.warn(`The outbox sweep could not relay ${what}: ${(error as Error).message}`);
      }
    };
    for (const [poolId, anyTenantId] of pools) await attempt(`pooled database ${poolId}`, () => this.sweepPool(anyTenantId));
    for (const row of rows.filter((row) => row.placement === 'dedicated')) {
      await attempt(`tenant ${row.id}`, async () => {
        const tenant = await this.bound(row.id);
        return tenant ? this.relay.relay(tenant) : 0;
      });
    }
    if (failures > 0) throw new Error(`The outbox sweep failed for ${failures} database(s); see the warnings`);
    return relayed;
  }

  private async sweepPool(anyTenantId: string): Promise<number> {
    const member = await this.bound(anyTenantId);
    if (!member?.database.reachable) return 0;
    const lease = await this.registry.acquire(member.database.spec);
    let pending: string[];
    try {
      pending = await tenantsWithPendingEvents(lease.dataSource);
    } finally {
      lease.release();
    }
    let relayed = 0;
    for (const tenantId of pending) {
      const tenant = await this.bound(tenantId);
      if (tenant) relayed += await this.relay.relay(tenant);
    }
    return relayed;
  }

  /** Relays one tenant's pending events now, from where it is placed (a move drains its source this way under the freeze). */
  async relayTenant(tenantId: string): Promise<number> {
    const tenant = await this.bound(tenantId);
    return tenant ? this.relay.relay(tenant) : 0;
  }

  private async bound(tenantId: string): Promise<BoundTenant | null> {
    const record = await this.directory.find(tenantId);
    return record ? boundTenantOf(record) : null;
  }
}
