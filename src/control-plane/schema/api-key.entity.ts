import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { ApiKeyScope } from '../../platform/access/api-key-format';

/** An API key of a tenant (acting on /api) or of the platform (acting on /control). The secret is never stored. */
@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The part of the key between its prefix and its secret: how a presented key finds its row. */
  @Column({ name: 'public_id', type: 'varchar', length: 16 })
  publicId: string;

  @Column({ type: 'varchar', length: 16 })
  scope: ApiKeyScope;

  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId: string | null;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** SHA-256 of the key's secret part. */
  @Column({ name: 'secret_hash', type: 'bytea' })
  secretHash: Buffer;

  @Column({ name: 'last_chars', type: 'varchar', length: 8 })
  lastChars: string;

  /** Tenant permissions of a tenant key; empty for platform keys. */
  @Column({ type: 'text', array: true })
  permissions: string[];

  @Column({ name: 'created_by_user_id', type: 'uuid' })
  createdByUserId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_by_user_id', type: 'uuid', nullable: true })
  revokedByUserId: string | null;
}
