import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { sortOptions } from '../../../../libs/tenancy/records/sort-order';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { IsAccountEmail, IsDisplayText } from '../../../platform/validation/text';
import { Contact } from '../entities/contact.entity';
import { CUSTOM_FIELDS_ANSWER } from '../../custom-fields/dto/custom-fields-answer';
import { PatchType } from '../../../platform/validation/patch-type';

export class CreateContactDto {
  @ApiProperty({ example: 'Jane', maxLength: 100 })
  @IsDisplayText(100)
  firstName: string;

  @ApiProperty({ example: 'Doe', maxLength: 100 })
  @IsDisplayText(100)
  lastName: string;

  @ApiPropertyOptional({ example: 'jane@acme.example' })
  @IsOptional()
  @IsAccountEmail()
  email?: string;

  @ApiPropertyOptional({ example: '+49 30 1234567' })
  @IsOptional()
  @Matches(/^\+?[0-9 ()./-]{3,40}$/, { message: 'phone must be a phone number such as +49 30 1234567' })
  phone?: string;

  @ApiPropertyOptional({ example: 'CFO', maxLength: 100 })
  @IsOptional()
  @IsDisplayText(100)
  jobTitle?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A user of this tenant (a user of another tenant: 404, like an unknown id)' })
  @IsOptional()
  @IsUUID()
  ownerUserId?: string;

  @ApiPropertyOptional({
    type: Object,
    example: { linkedin: 'janedoe' },
    description: 'Values of the tenant’s custom fields for contacts (null clears one)',
  })
  @IsOptional()
  @IsObject()
  customFields?: Record<string, unknown>;
}

export class UpdateContactDto extends PatchType(CreateContactDto) {}

export class LinkAccountDto {
  @ApiPropertyOptional({ example: 'Billing contact', maxLength: 100 })
  @IsOptional()
  @IsDisplayText(100, 0)
  role?: string;
}

export const CONTACT_SORT_PROPERTIES = ['createdAt', 'lastName'] as const;

export class ListContactsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of first name, last name or e-mail' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Contacts linked to this account' })
  @IsOptional()
  @IsUUID()
  accountId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ownerUserId?: string;

  @ApiPropertyOptional({ enum: sortOptions(CONTACT_SORT_PROPERTIES), default: 'createdAt' })
  @IsOptional()
  @IsIn(sortOptions(CONTACT_SORT_PROPERTIES))
  sort: string = 'createdAt';
}

export class ContactAccountLinkDto {
  @ApiProperty({ format: 'uuid' })
  accountId: string;

  @ApiProperty({ example: 'CFO' })
  role: string;
}

export class ContactDto extends OmitType(CreateContactDto, ['customFields'] as const) {
  @ApiProperty({
    example: '0b7e4f2a-8c3d-4e1b-a5f6-7d8e9f0a1b2c',
    description: 'A UUID; for a tenant whose contacts live in its own database, its key there',
  })
  id: string;

  @ApiProperty({ type: Object, description: CUSTOM_FIELDS_ANSWER })
  customFields: Record<string, unknown>;

  @ApiProperty({ type: [ContactAccountLinkDto] })
  accounts: ContactAccountLinkDto[];

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'null for a tenant whose contacts live in its own database, unless its mapping maps created_at / updated_at',
  })
  createdAt: string | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'null for a tenant whose contacts live in its own database, unless its mapping maps created_at / updated_at',
  })
  updatedAt: string | null;

  /** From the entity, or from a row whose timestamps the database already rendered in ISO 8601 (the list). */
  static from(
    contact: Omit<Contact, 'accounts' | 'tenantId' | 'deletedAt' | 'createdAt' | 'updatedAt'> & {
      accounts?: ContactAccountLinkDto[];
      createdAt: Date | string | null;
      updatedAt: Date | string | null;
    },
  ): ContactDto {
    const { id, firstName, lastName, email, phone, jobTitle, ownerUserId, customFields } = contact;
    const accounts = (contact.accounts ?? []).map(({ accountId, role }) => ({ accountId, role }));
    const createdAt = contact.createdAt instanceof Date ? contact.createdAt.toISOString() : contact.createdAt;
    const updatedAt = contact.updatedAt instanceof Date ? contact.updatedAt.toISOString() : contact.updatedAt;
    return {
      id,
      firstName,
      lastName,
      email: email ?? undefined,
      phone: phone ?? undefined,
      jobTitle: jobTitle ?? undefined,
      ownerUserId: ownerUserId ?? undefined,
      customFields,
      accounts,
      createdAt,
      updatedAt,
    };
  }
}

export class ContactPageDto extends PageDtoOf(ContactDto) {}
