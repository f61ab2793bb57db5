import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { DataSourceKind, EntityMapping, Introspection } from '../../../libs/byod';

/**
 * New settings a `byod` tenant prepares beside its data source, tested and mapped while the
 * current source keeps serving; a switch makes them the data source in one step. At most one per
 * tenant, gone with its data source.
 */
@Entity({ name: 'tenant_staged_data_sources' })
export class TenantStagedDataSource {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: DataSourceKind;

  /** The connection settings as JSON, AES-256-GCM encrypted and bound to the tenant's staged source. */
  @Column({ name: 'settings_encrypted', type: 'text', select: false })
  settingsEncrypted: string;

  @Column({ name: 'read_only', type: 'boolean', default: false })
  readOnly: boolean;

  /** What the last successful test of these settings found; null until then. */
  @Column({ type: 'jsonb', nullable: true })
  introspection: Introspection | null;

  /** entity → mapping that takes over with the switch. */
  @Column({ type: 'jsonb', nullable: true })
  mappings: Record<string, EntityMapping> | null;

  @Column({ name: 'tested_at', type: 'timestamptz', precision: 3, nullable: true })
  testedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
