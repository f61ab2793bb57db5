import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Access tokens of one scope issued before `revokedBefore` are refused: a session (refresh-token
 * family), a user, a user in a tenant, or a tenant. See migrations/control-plane/1763960000000-SessionRevocations.ts.
 */
@Entity({ name: 'session_revocations' })
export class SessionRevocation {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'session_id', type: 'uuid', nullable: true })
  sessionId: string | null;

  @Column({ name: 'user_id', type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId: string | null;

  @Column({ name: 'revoked_before', type: 'timestamptz', precision: 3 })
  revokedBefore: Date;
}
