import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The tenants a super admin may administer (seed 002's "assigned segments"). */
@Entity({ name: 'super_admin_tenants' })
export class SuperAdminTenant {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  /** Whether a platform admin allowed this super admin to change the tenant's plan (and so its quotas). */
  @Column({ name: 'may_change_plan', type: 'boolean', default: false })
  mayChangePlan: boolean;
}
