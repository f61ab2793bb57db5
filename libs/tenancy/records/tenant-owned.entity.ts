import { Column, CreateDateColumn, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A row of a tenant table. `tenant_id` leads every key, yet domain code never writes it: the
 * column defaults to the tenant bound to the session (current_tenant_id() in migrations/tenant) and
 * row-level security checks it, on pooled and dedicated databases alike. Declaring that default
 * here makes an insert read the value back, so a saved row carries its full key.
 */
export abstract class TenantOwnedRow {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid', insert: false, update: false, default: () => 'current_tenant_id()' })
  readonly tenantId: string;
}

/** A tenant-owned record with its own generated id and its creation and change times. */
export abstract class TenantOwnedRecord extends TenantOwnedRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}

/**
 * A record whose deletion is soft: `deletedAt` hides it from lookups and lists until it is
 * restored. A plain column on purpose, so no query hides deleted rows unless it says so.
 */
export abstract class SoftDeletableRecord extends TenantOwnedRecord {
  @Column({ name: 'deleted_at', type: 'timestamptz', precision: 3, nullable: true })
  deletedAt: Date | null;
}
