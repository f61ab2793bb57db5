import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** A quota of a tenant's plan, with the plan's name for the message that refuses more. */
export interface PlanQuota {
  planDisplayName: string;
  limit: number;
}

/** The quotas of a tenant's plan, for the modules that enforce them; null means unlimited. */
@Injectable()
export class PlanQuotas {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async maxContacts(tenantId: string): Promise<PlanQuota | null> {
    const [plan]: Array<{ display_name: string; max_contacts: number | null }> = await this.dataSource.query(
      'SELECT p.display_name, p.max_contacts FROM tenants t JOIN plans p ON p.name = t.plan WHERE t.id = $1',
      [tenantId],
    );
    return plan && plan.max_contacts !== null ? { planDisplayName: plan.display_name, limit: plan.max_contacts } : null;
  }
}
