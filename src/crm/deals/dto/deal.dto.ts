import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { sortOptions } from '../../../../libs/tenancy/records/sort-order';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { IsCurrencyCode, IsDateOnly, IsDisplayText } from '../../../platform/validation/text';
import { DealLineItem } from '../entities/deal-line-item.entity';
import { DealStageChange } from '../entities/deal-stage-change.entity';
import { Deal, DEAL_STAGES } from '../entities/deal.entity';
import { CUSTOM_FIELDS_ANSWER } from '../../custom-fields/dto/custom-fields-answer';
import { PatchType } from '../../../platform/validation/patch-type';
import { IsTenantRecordId } from '../../../control-plane/tenant-binding/is-tenant-record-id';

const MAX_MINOR = Number.MAX_SAFE_INTEGER;
const RECORD_ID = 'A UUID; for a tenant whose data lives in its own database, its key there';
const BYOD_NULL = 'null for a tenant whose deals live in its own database, unless its mapping maps created_at / updated_at';

export class DealLineItemDto {
  @ApiProperty({ example: 'Annual licence', maxLength: 500 })
  @IsDisplayText(500)
  description: string;

  @ApiProperty({ type: 'integer', example: 3, minimum: 1 })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  quantity: number;

  @ApiProperty({ type: 'integer', example: 120000, description: 'Minor units (e.g. cents)' })
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  unitPriceMinor: number;
}

export class CreateDealDto {
  @ApiProperty({ example: 'Acme renewal 2027', maxLength: 200 })
  @IsDisplayText(200)
  name: string;

  @ApiPropertyOptional({ enum: DEAL_STAGES, default: 'lead' })
  @IsOptional()
  @IsIn(DEAL_STAGES)
  stage?: (typeof DEAL_STAGES)[number];

  @ApiPropertyOptional({ type: 'integer', example: 360000, description: 'Minor units; computed from the line items when they are given' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  amountMinor?: number;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217; default: the tenant’s currency setting' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({ format: 'date', example: '2027-03-31' })
  @IsOptional()
  @IsDateOnly()
  expectedCloseDate?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A user of this tenant (a user of another tenant: 404, like an unknown id)' })
  @IsOptional()
  @IsUUID()
  ownerUserId?: string;

  @ApiPropertyOptional({ description: RECORD_ID })
  @IsOptional()
  @IsTenantRecordId()
  accountId?: string;

  @ApiPropertyOptional({ description: RECORD_ID })
  @IsOptional()
  @IsTenantRecordId()
  contactId?: string;

  @ApiPropertyOptional({ type: [DealLineItemDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => DealLineItemDto)
  lineItems?: DealLineItemDto[];

  @ApiPropertyOptional({ type: Object })
  @IsOptional()
  @IsObject()
  customFields?: Record<string, unknown>;
}

export class UpdateDealDto extends PatchType(CreateDealDto) {}

export const DEAL_SORT_PROPERTIES = ['createdAt', 'name'] as const;

export class ListDealsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of the name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({ enum: DEAL_STAGES })
  @IsOptional()
  @IsIn(DEAL_STAGES)
  stage?: string;

  @ApiPropertyOptional({ description: RECORD_ID })
  @IsOptional()
  @IsTenantRecordId()
  accountId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  ownerUserId?: string;

  @ApiPropertyOptional({ type: 'integer', description: 'Minor units' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minAmount?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Minor units' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  maxAmount?: number;

  @ApiPropertyOptional({ format: 'date', description: 'Expected to close on or before (e.g. `2027-06-30`)' })
  @IsOptional()
  @IsDateOnly()
  closingBy?: string;

  @ApiPropertyOptional({ enum: sortOptions(DEAL_SORT_PROPERTIES), default: 'createdAt' })
  @IsOptional()
  @IsIn(sortOptions(DEAL_SORT_PROPERTIES))
  sort: string = 'createdAt';
}

export class DealStageChangeDto {
  @ApiProperty({ nullable: true, type: String })
  fromStage: string | null;

  @ApiProperty()
  toStage: string;

  @ApiProperty({ nullable: true, type: String, format: 'uuid' })
  changedBy: string | null;

  @ApiProperty({ format: 'date-time' })
  changedAt: Date;
}

export class DealDto {
  @ApiProperty({ example: '3f0c9a8e-5b1d-4c2a-9e7f-1a2b3c4d5e6f', description: RECORD_ID }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: DEAL_STAGES }) stage: string;
  @ApiProperty({ type: 'integer', example: 360000 }) amountMinor: number;
  @ApiProperty({ example: 'EUR' }) currency: string;
  @ApiProperty({ nullable: true, type: String, format: 'date' }) expectedCloseDate: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) ownerUserId: string | null;
  @ApiProperty({ nullable: true, type: String, description: RECORD_ID }) accountId: string | null;
  @ApiProperty({ nullable: true, type: String, description: RECORD_ID }) contactId: string | null;
  @ApiProperty({ type: Object, description: CUSTOM_FIELDS_ANSWER }) customFields: Record<string, unknown>;
  @ApiProperty({ type: [DealLineItemDto] }) lineItems: DealLineItemDto[];
  @ApiPropertyOptional({
    type: [DealStageChangeDto],
    description:
      'GET by id only: every stage the deal entered, oldest first; absent for a tenant whose deals live in its own database (no history is kept there)',
  })
  stageHistory?: DealStageChangeDto[];
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: BYOD_NULL }) createdAt: Date | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: BYOD_NULL }) updatedAt: Date | null;

  static from(deal: Deal, lineItems: DealLineItem[], history?: DealStageChange[]): DealDto {
    const {
      id,
      name,
      stage,
      amountMinor,
      currency,
      expectedCloseDate,
      ownerUserId,
      accountId,
      contactId,
      customFields,
      createdAt,
      updatedAt,
    } = deal;
    return {
      id,
      name,
      stage,
      amountMinor,
      currency,
      expectedCloseDate,
      ownerUserId,
      accountId,
      contactId,
      customFields,
      createdAt,
      updatedAt,
      lineItems: lineItems
        .sort((a, b) => a.position - b.position)
        .map(({ description, quantity, unitPriceMinor }) => ({ description, quantity, unitPriceMinor })),
      ...(history
        ? { stageHistory: history.map(({ fromStage, toStage, changedBy, changedAt }) => ({ fromStage, toStage, changedBy, changedAt })) }
        : {}),
    };
  }
}

export class DealPageDto extends PageDtoOf(DealDto) {}
