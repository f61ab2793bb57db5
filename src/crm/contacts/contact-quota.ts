import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';

/**
 * The plan's maxContacts, enforced where contacts are created. The count and the insert happen in
 * the tenant's transaction under a per-tenant advisory lock, so concurrent creations cannot
 * overshoot the quota.
 */
@Injectable()
export class ContactQuota {
  constructor(@InjectDataSource() private readonly controlPlane: DataSource) {}

  async assertRoomFor(tx: TenantEntityManager, more = 1): Promise<void> {
    const [plan]: Array<{ display_name: string; max_contacts: number | null }> = await this.controlPlane.query(
      'SELECT p.display_name, p.max_contacts FROM tenants t JOIN plans p ON p.name = t.plan WHERE t.id = $1',
      [tx.tenantId],
    );
    if (!plan || plan.max_contacts === null) return;
    await tx.manager.query("SELECT pg_advisory_xact_lock(hashtext('contacts:' || $1))", [tx.tenantId]);
    const [{ count }] = await tx.manager.query('SELECT count(*)::int AS count FROM contacts WHERE deleted_at IS NULL');
    if (count + more > plan.max_contacts) {
      throw new ConflictException({
        message: `Quota maxContacts reached: the ${plan.display_name} plan allows ${plan.max_contacts} contacts and this tenant has ${count}`,
        details: [{ field: 'quota.maxContacts', problems: [`limit ${plan.max_contacts} reached`] }],
      });
    }
  }
}
