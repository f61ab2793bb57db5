import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';

export interface TenantRetention {
  tenantId: string;
  retentionDays: number;
}

/** Which tenants' data is kept for a limited time, as their plans say (plans.retention_days). */
@Injectable()
export class TenantRetentionPolicies {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Active and suspended tenants in a database of ours whose plan limits retention. */
  async limited(): Promise<TenantRetention[]> {
    const rows = await this.dataSource.query<Array<{ id: string; retention_days: number }>>(
      `SELECT t.id, p.retention_days FROM tenants t JOIN plans p ON p.name = t.plan
        WHERE p.retention_days IS NOT NULL AND t.status IN ('active', 'suspended') AND t.placement IN ('pooled', 'dedicated')
        ORDER BY t.id`,
    );
    return rows.map((row) => ({ tenantId: row.id, retentionDays: row.retention_days }));
  }

  /** Audits a purge (counts per table, no data): a deletion of tenant data the platform made. */
  async recordPurge(tenantId: string, retentionDays: number, purged: Record<string, number>): Promise<void> {
    await this.dataSource.transaction((manager) =>
      this.audit.record(manager, {
        action: 'tenant.retention.purge',
        targetType: 'tenant',
        targetId: tenantId,
        tenantId,
        actorUserId: null,
        changes: { retentionDays, purged },
      }),
    );
  }
}
