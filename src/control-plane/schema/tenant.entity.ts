import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const TENANT_STATUSES = ['provisioning', 'active', 'suspended', 'failed', 'deleted', 'purged'] as const;
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

  /** Seeded at provisioning (time zone, currency, locale); what modules may require of a tenant. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  settings: Record<string, string>;

  /** The tenant admin named at registration; provisioning makes them a member. */
  @Column({ name: 'admin_user_id', type: 'uuid', nullable: true })
  adminUserId: string | null;

  /** Why provisioning failed, for the platform admin (never a secret). */
  @Column({ name: 'failure_reason', type: 'varchar', length: 500, nullable: true })
  failureReason: string | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', precision: 3, nullable: true })
  deletedAt: Date | null;

  /** A deleted tenant's data is kept until then; it can be purged only after deletion. */
  @Column({ name: 'purge_after', type: 'timestamptz', precision: 3, nullable: true })
  purgeAfter: Date | null;

  /** Set while a move copies the last changes and switches placement: writes wait or answer 503, reads are served. */
  @Column({ name: 'writes_frozen_at', type: 'timestamptz', precision: 3, nullable: true })
  writesFrozenAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
