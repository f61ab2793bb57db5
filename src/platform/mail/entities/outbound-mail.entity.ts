import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A mail written in the same transaction as the change it tells about, sent by the mail-delivery job. */
@Entity({ name: 'mail_outbox' })
export class OutboundMail {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** What the mail is for (invitation, password_reset, ...): for operators, never for routing. */
  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'varchar', length: 254 })
  recipient: string;

  @Column({ type: 'varchar', length: 300 })
  subject: string;

  /** The text, encrypted (it carries one-time links); erased once sent. */
  @Column({ name: 'body_encrypted', type: 'text', nullable: true })
  bodyEncrypted: string | null;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'sent_at', type: 'timestamptz', precision: 3, nullable: true })
  sentAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
