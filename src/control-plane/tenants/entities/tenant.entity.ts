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

  /** Where the tenant's data lives within its placement (database name, pool id, BYOD source). */
  @Column({ name: 'data_source_ref', type: 'varchar', length: 200, nullable: true })
  dataSourceRef: string | null;

  @Column({ name: 'schema_version', type: 'integer', default: 0 })
  schemaVersion: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
