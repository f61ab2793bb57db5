import { Injectable, Logger } from '@nestjs/common';
import { purgeExpiredRows } from '../../../libs/archives/retention-purge';
import { TenantDataSessions } from '../../control-plane/tenant-archives/tenant-data-sessions';
import { TenantRetentionPolicies } from '../../control-plane/tenant-archives/tenant-retention-policies';

/**
 * Purges, for every tenant whose plan limits retention, its data audit entries older than the
 * retention and its records soft-deleted longer ago than it. Each tenant in a transaction of its
 * own; one tenant's failure is logged and does not stop the others.
 */
@Injectable()
export class DataRetention {
  private readonly logger = new Logger(DataRetention.name);

  constructor(
    private readonly policies: TenantRetentionPolicies,
    private readonly sessions: TenantDataSessions,
  ) {}

  async purgeAll(signal?: AbortSignal): Promise<void> {
    for (const { tenantId, retentionDays } of await this.policies.limited()) {
      signal?.throwIfAborted();
      try {
        const purged = await this.purge(tenantId, retentionDays);
        if (Object.keys(purged).length > 0) await this.policies.recordPurge(tenantId, retentionDays, purged);
      } catch (error) {
        this.logger.warn(`Tenant ${tenantId}: retention purge failed: ${(error as Error).message}`);
      }
    }
  }

  purge(tenantId: string, days: number): Promise<Record<string, number>> {
    return this.sessions.transaction(tenantId, (runner) =>
      purgeExpiredRows(runner, { days, agedTables: { data_audit: 'occurred_at' }, deletedAtColumn: 'deleted_at' }),
    );
  }
}
