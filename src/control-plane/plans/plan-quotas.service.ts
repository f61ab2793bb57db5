import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A quota of a tenant's plan, with the plan's name for the message that refuses more. */
export interface PlanQuota {
  planDisplayName: string;
  limit: number;
}

/** The columns of the quotas read one at a time, by their API name. */
const COLUMNS = { maxContacts: 'max_contacts', storageMb: 'storage_mb' } as const;

/** The quotas of a tenant's plan, for the modules that enforce them; null means unlimited. */
@Injectable()
export class PlanQuotas {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  maxContacts(tenantId: string): Promise<PlanQuota | null> {
    return this.quota(tenantId, 'maxContacts');
  }

  storageMb(tenantId: string): Promise<PlanQuota | null> {
    return this.quota(tenantId, 'storageMb');
  }

  private async quota(tenantId: string, name: keyof typeof COLUMNS): Promise<PlanQuota | null> {
    const [plan]: Array<{ display_name: string; quota: number | null }> = await this.dataSource.query(
      `SELECT p.display_name, p.${COLUMNS[name]} AS quota FROM tenants t JOIN plans p ON p.name = t.plan WHERE t.id = $1`,
      [tenantId],
    );
    return plan && plan.quota !== null ? { planDisplayName: plan.display_name, limit: plan.quota } : null;
  }
}
