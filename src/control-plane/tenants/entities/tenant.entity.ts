import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const TENANT_STATUSES = ['provisioning', 'active', 'suspended', 'failed', 'deleted'] as const;
export type TenantStatus = (typeof TENANT_STATUSES)[number];

export const PLACEMENTS = ['pooled', 'dedicated', 'byod'] as const;
export type Placement = (typeof PLACEMENTS)[number];

@Entity({ name: 'tenants' })
export class Tenant {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 63 })
  slug: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ type: 'varchar', length: 16 })
  status: TenantStatus;

  @Column({ type: 'varchar', length: 32 })
  plan: string;

  @Column({ type: 'varchar', length: 16 })
  placement: Placement;

  @Column({ name: 'enabled_modules', type: 'text', array: true, default: () => "'{}'" })
  enabledModules: string[];

  @Column({ name: 'database_server_id', type: 'uuid', nullable: true })
  databaseServerId: string | null;

  /** Last tenant migration applied to this tenant's database (pooled tenants: their pool's). */
  @Column({ name: 'schema_version', type: 'varchar', length: 64, nullable: true })
  schemaVersion: string | null;

  @Column({ name: 'tenant_pool_id', type: 'uuid', nullable: true })
  tenantPoolId: string | null;

  /** Dedicated placement: the tenant's own database and the role that reaches it. */
  @Column({ name: 'database_name', type: 'varchar', length: 63, nullable: true })
  databaseName: string | null;

  @Column({ name: 'database_role', type: 'varchar', length: 63, nullable: true })
  databaseRole: string | null;

  @Column({ name: 'database_password_encrypted', type: 'text', nullable: true, select: false })
  databasePasswordEncrypted: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
