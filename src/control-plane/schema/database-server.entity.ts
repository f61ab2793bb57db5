import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const DATABASE_SERVER_STATUSES = ['active', 'draining', 'disabled'] as const;
export type DatabaseServerStatus = (typeof DATABASE_SERVER_STATUSES)[number];

/** A PostgreSQL server on which dedicated tenant databases can be placed, and pooled tenant databases created. */
@Entity({ name: 'database_servers' })
export class DatabaseServer {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 63 })
  name: string;

  @Column({ type: 'varchar', length: 253 })
  host: string;

  @Column({ type: 'integer' })
  port: number;

  @Column({ name: 'admin_user', type: 'varchar', length: 63 })
  adminUser: string;

  /** AES-256-GCM envelope (libs/secrets); never selected unless asked for, never returned. */
  @Column({ name: 'admin_password_encrypted', type: 'text', select: false })
  adminPasswordEncrypted: string;

  @Column({ name: 'max_databases', type: 'integer' })
  maxDatabases: number;

  /** Connections all Tenantry processes together may hold to its tenant databases; null: none declared. */
  @Column({ name: 'connection_budget', type: 'integer', nullable: true })
  connectionBudget: number | null;

  /** Tenant connections go through a transaction-mode pooler: no named statements, no startup parameters, no session state. */
  @Column({ name: 'behind_transaction_pooler', type: 'boolean', default: false })
  behindTransactionPooler: boolean;

  /** Where tenant DataSources connect instead of host:port (the pooler); admin work always connects to host:port. */
  @Column({ name: 'pooler_host', type: 'varchar', length: 253, nullable: true })
  poolerHost: string | null;

  @Column({ name: 'pooler_port', type: 'integer', nullable: true })
  poolerPort: number | null;

  @Column({ type: 'varchar', length: 16, default: 'active' })
  status: DatabaseServerStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
