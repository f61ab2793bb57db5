import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A shared tenant database: many pooled tenants, isolated by row-level security. */
@Entity({ name: 'tenant_pools' })
export class TenantPool {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 40 })
  name: string;

  @Column({ name: 'database_server_id', type: 'uuid' })
  databaseServerId: string;

  @Column({ name: 'database_name', type: 'varchar', length: 63 })
  databaseName: string;

  /** Neither owner nor BYPASSRLS: row-level security always applies to it. */
  @Column({ name: 'app_role', type: 'varchar', length: 63 })
  appRole: string;

  @Column({ name: 'app_password_encrypted', type: 'text', select: false })
  appPasswordEncrypted: string;

  @Column({ name: 'max_tenants', type: 'integer' })
  maxTenants: number;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status: 'active' | 'draining';

  @Column({ name: 'schema_version', type: 'varchar', length: 64, nullable: true })
  schemaVersion: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
