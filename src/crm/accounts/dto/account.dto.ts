import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsObject, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { sortOptions } from '../../../../libs/tenancy/records/sort-order';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { IsDisplayText, IsQueryFlag } from '../../../platform/validation/text';
import { Account } from '../entities/account.entity';
import { CUSTOM_FIELDS_ANSWER } from '../../custom-fields/dto/custom-fields-answer';
import { PatchType } from '../../../platform/validation/patch-type';

export class CreateAccountDto {
  @ApiProperty({ example: 'Acme Corporation', maxLength: 200 })
  @IsDisplayText(200)
  name: string;

  @ApiPropertyOptional({ example: 'acme.example' })
  @IsOptional()
  @Matches(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
    message: 'domain must be a domain name such as acme.example',
  })
  domain?: string;

  @ApiPropertyOptional({ example: 'Manufacturing', maxLength: 100 })
  @IsOptional()
  @IsDisplayText(100)
  industry?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A user of this tenant (a user of another tenant: 404, like an unknown id)' })
  @IsOptional()
  @IsUUID()
  ownerUserId?: string;

  @ApiPropertyOptional({ example: '1 Main Street', maxLength: 200 })
  @IsOptional()
  @IsDisplayText(200)
  street?: string;

  @ApiPropertyOptional({ example: 'Berlin', maxLength: 100 })
  @IsOptional()
  @IsDisplayText(100)
  city?: string;

  @ApiPropertyOptional({ example: '10115', maxLength: 20 })
  @IsOptional()
  @IsDisplayText(20)
  postalCode?: string;

  @ApiPropertyOptional({ example: 'DE', description: 'ISO 3166-1 alpha-2' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as DE' })
  country?: string;

  @ApiPropertyOptional({
    type: Object,
    example: { tax_id: 'DE123456789' },
    description: 'Values of the tenant’s custom fields for accounts (null clears one)',
  })
  @IsOptional()
  @IsObject()
  customFields?: Record<string, unknown>;
}

export class UpdateAccountDto extends PatchType(CreateAccountDto) {}

export const ACCOUNT_SORT_PROPERTIES = ['createdAt', 'name'] as const;

export class ListAccountsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of the name or domain' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ description: 'Exact industry, e.g. `Manufacturing`' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  industry?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ownerUserId?: string;

  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2, e.g. `DE`' })
  @IsOptional()
  @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code such as DE' })
  country?: string;

  @ApiPropertyOptional({ enum: sortOptions(ACCOUNT_SORT_PROPERTIES), default: 'createdAt', description: 'A leading - sorts descending' })
  @IsOptional()
  @IsIn(sortOptions(ACCOUNT_SORT_PROPERTIES))
  sort: string = 'createdAt';

  @ApiPropertyOptional({ default: false, description: 'List deleted accounts instead' })
  @IsOptional()
  @IsQueryFlag()
  deleted?: boolean;
}

export class AccountDto {
  @ApiProperty({
    example: '3f0c9a8e-5b1d-4c2a-9e7f-1a2b3c4d5e6f',
    description: 'A UUID; for a tenant whose accounts live in its own database, its key there',
  })
  id: string;

  @ApiProperty({ example: 'Acme Corporation' })
  name: string;

  @ApiProperty({ nullable: true, type: String })
  domain: string | null;

  @ApiProperty({ nullable: true, type: String })
  industry: string | null;

  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  ownerUserId: string | null;

  @ApiProperty({ nullable: true, type: String })
  street: string | null;

  @ApiProperty({ nullable: true, type: String })
  city: string | null;

  @ApiProperty({ nullable: true, type: String })
  postalCode: string | null;

  @ApiProperty({ nullable: true, type: String })
  country: string | null;

  @ApiProperty({ type: Object, description: CUSTOM_FIELDS_ANSWER })
  customFields: Record<string, unknown>;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'null for a tenant whose accounts live in its own database, unless its mapping maps created_at / updated_at',
  })
  createdAt: Date | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'null for a tenant whose accounts live in its own database, unless its mapping maps created_at / updated_at',
  })
  updatedAt: Date | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  deletedAt: Date | null;

  static from(account: Account): AccountDto {
    const { id, name, domain, industry, ownerUserId, street, city, postalCode, country, customFields, createdAt, updatedAt, deletedAt } =
      account;
    return { id, name, domain, industry, ownerUserId, street, city, postalCode, country, customFields, createdAt, updatedAt, deletedAt };
  }
}

export class AccountPageDto extends PageDtoOf(AccountDto) {}
