import { Entity, PrimaryColumn } from 'typeorm';

/** The tenants a super admin may administer (seed 002's "assigned segments"). */
@Entity({ name: 'super_admin_tenants' })
export class SuperAdminTenant {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;
}
