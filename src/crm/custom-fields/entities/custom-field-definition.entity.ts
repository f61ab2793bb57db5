import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';
import { TenantOwnedRow } from '../../../../libs/tenancy/records/tenant-owned.entity';

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'select'] as const;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** A field a tenant admin adds to one kind of record (seed 000's per-client validations). */
@Entity({ name: 'custom_field_definitions' })
export class CustomFieldDefinition extends TenantOwnedRow {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  entity: string;

  @PrimaryColumn({ type: 'varchar', length: 64 })
  key: string;

  @Column({ type: 'varchar', length: 200 })
  label: string;

  @Column({ type: 'varchar', length: 16 })
  type: CustomFieldType;

  @Column({ type: 'boolean' })
  required: boolean;

  /** The allowed values of a `select` field. */
  @Column({ type: 'text', array: true })
  options: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
