import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { UNMAPPED_VALUE } from '../../../../libs/byod';
import { sortOptions } from '../../../../libs/tenancy/records/sort-order';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { IsCurrencyCode, IsDisplayText, IsQueryFlag } from '../../../platform/validation/text';
import { InventoryItem, ITEM_STATUSES } from '../entities/inventory-item.entity';
import { PatchType } from '../../../platform/validation/patch-type';

const MAX_MINOR = Number.MAX_SAFE_INTEGER;

/**
 * The statuses an item is answered with: a byod tenant's item whose status column holds a value
 * its value map does not know (and that declares no fallback) reads as `unmapped`.
 */
export const LISTED_ITEM_STATUSES = [...ITEM_STATUSES, UNMAPPED_VALUE] as const;
export type ListedItemStatus = (typeof LISTED_ITEM_STATUSES)[number];
const MAX_UNITS = 1_000_000_000;

export class CreateInventoryItemDto {
  @ApiProperty({ example: 'VH-2027-0042', description: 'Unique within the tenant; letters, digits, . _ - /', maxLength: 64 })
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._\-/]{0,63}$/, { message: 'sku must be 1–64 letters, digits, dots, dashes, underscores or slashes' })
  sku: string;

  @ApiProperty({ example: 'Roadster 2.0, red', maxLength: 200 })
  @IsDisplayText(200)
  name: string;

  @ApiPropertyOptional({ example: 'Demonstration vehicle, 1,200 km', maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string;

  @ApiProperty({ type: 'integer', example: 2_499_000, description: 'Selling price in minor units (e.g. cents)' })
  @IsInt()
  @Min(0)
  @Max(MAX_MINOR)
  priceSellingMinor: number;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217; default: the tenant’s currency setting' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({
    type: 'integer',
    example: 2,
    default: 0,
    description: 'The list’s lowStock filter finds items whose available stock is at or below this',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_UNITS)
  lowStockThreshold?: number;

  @ApiPropertyOptional({
    type: 'integer',
    example: 5,
    default: 0,
    description: 'Units on hand at creation, recorded as a `receive` movement',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_UNITS)
  initialStock?: number;
}

/** Stock is not here: it changes only through movements. Status: only archiving and un-archiving. */
export class UpdateInventoryItemDto extends PatchType(
  PickType(CreateInventoryItemDto, ['sku', 'name', 'description', 'priceSellingMinor', 'currency', 'lowStockThreshold'] as const),
) {
  @ApiPropertyOptional({ enum: ['archived', 'available'], description: 'Archive an item (it takes no movements) or bring it back' })
  @IsOptional()
  @IsIn(['archived', 'available'])
  status?: 'archived' | 'available';
}

export const INVENTORY_ITEM_SORT_PROPERTIES = ['createdAt', 'name', 'sku', 'priceSellingMinor'] as const;

export class ListInventoryItemsQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ description: 'Case-insensitive substring of the SKU or name' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @ApiPropertyOptional({
    enum: LISTED_ITEM_STATUSES,
    description:
      '`unmapped` (byod tenants): items whose status column holds a value outside the value map, when the map declares no fallback; with a fallback, filtering by the fallback also finds those. Other tenants have no such items.',
  })
  @IsOptional()
  @IsIn(LISTED_ITEM_STATUSES)
  status?: ListedItemStatus;

  @ApiPropertyOptional({ type: 'integer', description: 'Minimum selling price, minor units' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  minPrice?: number;

  @ApiPropertyOptional({ type: 'integer', description: 'Maximum selling price, minor units' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  maxPrice?: number;

  @ApiPropertyOptional({ description: 'Only items whose available stock (on hand − reserved) is at or below their low-stock threshold' })
  @IsOptional()
  @IsQueryFlag()
  lowStock?: boolean;

  @ApiPropertyOptional({ enum: sortOptions(INVENTORY_ITEM_SORT_PROPERTIES), default: 'createdAt' })
  @IsOptional()
  @IsIn(sortOptions(INVENTORY_ITEM_SORT_PROPERTIES))
  sort: string = 'createdAt';
}

export class InventoryItemDto {
  @ApiProperty({
    example: '6f1c2d3e-4a5b-4c6d-8e7f-9a0b1c2d3e4f',
    description: 'A UUID; for a tenant whose items live in its own database, the SKU (its key there)',
  })
  id: string;

  @ApiProperty({ example: 'VH-2027-0042' })
  sku: string;

  @ApiProperty({ example: 'Roadster 2.0, red' })
  name: string;

  @ApiProperty({ example: '' })
  description: string;

  @ApiProperty({ type: 'integer', example: 5 })
  stockOnHand: number;

  @ApiProperty({ type: 'integer', example: 1 })
  reserved: number;

  @ApiProperty({ type: 'integer', example: 4, description: 'On hand − reserved: what can be sold or reserved' })
  available: number;

  @ApiProperty({ type: 'integer', example: 2 })
  lowStockThreshold: number;

  @ApiProperty({ type: 'integer', example: 2_499_000 })
  priceSellingMinor: number;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({
    enum: LISTED_ITEM_STATUSES,
    description:
      'reserved: every unit on hand is reserved; sold: a sale took the last unit; archived: set by a user; unmapped (byod tenants only): the status column holds a value outside the value map, which declares no fallback — it cannot be written',
  })
  status: ListedItemStatus;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'null for a tenant whose items live in its own database, unless its mapping maps created_at / updated_at',
  })
  createdAt: Date | null;

  @ApiProperty({
    format: 'date-time',
    nullable: true,
    type: String,
    description: 'null for a tenant whose items live in its own database, unless its mapping maps created_at / updated_at',
  })
  updatedAt: Date | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  deletedAt: Date | null;

  static from(item: InventoryItem): InventoryItemDto {
    const {
      id,
      sku,
      name,
      description,
      stockOnHand,
      reserved,
      lowStockThreshold,
      priceSellingMinor,
      currency,
      status,
      createdAt,
      updatedAt,
      deletedAt,
    } = item;
    return {
      id,
      sku,
      name,
      description,
      stockOnHand,
      reserved,
      available: stockOnHand - reserved,
      lowStockThreshold,
      priceSellingMinor,
      currency,
      status,
      createdAt,
      updatedAt,
      deletedAt,
    };
  }
}

export class InventoryItemPageDto extends PageDtoOf(InventoryItemDto) {}
