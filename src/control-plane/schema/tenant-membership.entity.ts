import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A user's role inside one tenant; a user may belong to several tenants. */
@Entity({ name: 'tenant_memberships' })
export class TenantMembership {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'varchar', length: 64 })
  role: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
