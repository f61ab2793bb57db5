import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { IsAccountEmail } from '../../../platform/validation/text';

export const SUBJECT_ACTIONS = ['find', 'export', 'erase'] as const;
export type SubjectAction = (typeof SUBJECT_ACTIONS)[number];

export class SubjectRequestDto {
  @ApiProperty({ example: 'jane@acme.example', maxLength: 254, description: 'The person’s e-mail address, matched case-insensitively' })
  @IsAccountEmail()
  email: string;

  @ApiProperty({
    enum: SUBJECT_ACTIONS,
    description:
      '`find`: where the person’s data is; `export`: that data as JSON; `erase`: anonymise the person’s contacts and what refers to them, ' +
      'and remove the address wherever it was written (the data audit keeps that an erasure happened, not the data)',
  })
  @IsIn(SUBJECT_ACTIONS)
  action: SubjectAction;
}

export class SubjectRequestResultDto {
  @ApiProperty({ enum: SUBJECT_ACTIONS })
  action: SubjectAction;

  @ApiProperty({ type: [String], format: 'uuid', description: 'Contacts holding the address (deleted ones too)' })
  contactIds: string[];

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { deals: 1, activities: 2, contact_accounts: 1 },
    description: 'Rows referring to those contacts, per table',
  })
  related: Record<string, number>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { notes: 1, data_audit: 3 },
    description: 'Rows with the address written in a text or JSON field, per table (after `erase`: rows it was removed from)',
  })
  mentions: Record<string, number>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { events: 4, webhooks: 3 },
    description:
      '`erase` only: copies the platform kept of the tenant’s events that the person was erased from: `events` (the domain event log) ' +
      'and `webhooks` (deliveries whose payload, response excerpts or errors held the address or the erased records)',
  })
  copies?: Record<string, number>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'object' } },
    description: '`export` only: the rows themselves (contacts, rows referring to them, rows mentioning the address), per table',
  })
  data?: Record<string, unknown[]>;
}
