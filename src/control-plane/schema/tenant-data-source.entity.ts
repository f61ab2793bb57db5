import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { DataSourceKind, EntityMapping, Introspection } from '../../../libs/byod';

export const DATA_SOURCE_STATUSES = ['configured', 'tested', 'active'] as const;
export type DataSourceStatus = (typeof DATA_SOURCE_STATUSES)[number];

/** A `byod` tenant's data source; one per tenant. */
@Entity({ name: 'tenant_data_sources' })
export class TenantDataSource {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: DataSourceKind;

  /** The connection settings as JSON, AES-256-GCM encrypted and bound to the tenant. */
  @Column({ name: 'settings_encrypted', type: 'text', select: false })
  settingsEncrypted: string;

  @Column({ name: 'read_only', type: 'boolean', default: false })
  readOnly: boolean;

  @Column({ type: 'varchar', length: 16 })
  status: DataSourceStatus;

  @Column({ type: 'jsonb', nullable: true })
  introspection: Introspection | null;

  /** entity → mapping, valid against `introspection` when stored. */
  @Column({ type: 'jsonb', nullable: true })
  mappings: Record<string, EntityMapping> | null;

  @Column({ name: 'tested_at', type: 'timestamptz', precision: 3, nullable: true })
  testedAt: Date | null;

  @Column({ name: 'activated_at', type: 'timestamptz', precision: 3, nullable: true })
  activatedAt: Date | null;

  /** Moved on by a trigger at every change of the row (migration DataSourceRevisions). */
  @Column({ type: 'integer', default: 1, insert: false, update: false })
  revision: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
