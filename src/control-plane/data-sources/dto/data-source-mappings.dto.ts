import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { FieldRule, MappedValue } from '../../../../libs/byod';
import { IsRecordOf, isShortString } from './is-record-of';

const isValueMap = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every(
    (inner) => isShortString(inner) || typeof inner === 'boolean' || (typeof inner === 'number' && Number.isFinite(inner)),
  );

const isFiniteNumber = (value: unknown) => typeof value === 'number' && Number.isFinite(value);
const isLength = (value: unknown) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 10_000;
const isRule = (value: unknown) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const rule = value as Record<string, unknown>;
  return (
    (rule.required === undefined || typeof rule.required === 'boolean') &&
    (rule.min === undefined || isFiniteNumber(rule.min)) &&
    (rule.max === undefined || isFiniteNumber(rule.max)) &&
    (rule.minLength === undefined || isLength(rule.minLength)) &&
    (rule.maxLength === undefined || isLength(rule.maxLength)) &&
    (rule.oneOf === undefined ||
      (Array.isArray(rule.oneOf) && rule.oneOf.length <= 100 && rule.oneOf.every((item) => isShortString(item) || isFiniteNumber(item))))
  );
};

export class EntityMappingDto {
  @ApiProperty({ example: 'vehicles', description: 'A table (or view) the last test found, exactly as named there' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  table: string;

  @ApiProperty({
    example: { sku: 'vehicle_id', name: 'model_name', stock_on_hand: 'vehicle_inventory_count' },
    description:
      'our field → their column. Refused (422) when the column cannot hold every value the field can carry exactly: a type the field does not accept; for `price_selling_minor` (integer minor units), a decimal column with more than 2 decimal places or none declared (e.g. DECIMAL(12,3), unconstrained numeric), whose values could only be answered rounded. A DECIMAL(p,0) or (p,1) is accepted: reads are exact, and a write it cannot keep exactly (cents in whole units, more digits than p allows) is a 422 naming the field, never rounded.',
  })
  @IsRecordOf(isShortString, 'our field → their column name', 100)
  fields: Record<string, string>;

  @ApiPropertyOptional({
    example: { status: { available: 'in_stock', reserved: 'on_hold', sold: 'sold', archived: 'retired', '*': 'archived' } },
    description:
      'our field → (our value → their value), required for a field with fixed values (inventory `status`), one distinct source value for each of ours. Each source value must be one the column can hold: a member of its ENUM/SET, PostgreSQL enum or simple CHECK (col IN (…)) list, and no longer than its length; otherwise 422. The reserved key `*` names instead the value of ours that any other source value reads as (e.g. `"*": "archived"`); without it such values read as `unmapped`, which lists can filter by (`?status=unmapped`) and which cannot be written.',
  })
  @IsOptional()
  @IsRecordOf(isValueMap, 'our field → { our value: their value (string, number or boolean) }', 100)
  valueMaps?: Record<string, Record<string, MappedValue>>;

  @ApiPropertyOptional({
    example: { price_selling_minor: { min: 100000 }, sku: { minLength: 6 }, status: { oneOf: ['available', 'sold'] } },
    description: 'our field → the tenant’s own rules (required, min, max, minLength, maxLength, oneOf), checked before every write',
  })
  @IsOptional()
  @IsRecordOf(isRule, 'our field → { required?, min?, max?, minLength?, maxLength?, oneOf? }', 100)
  validations?: Record<string, FieldRule>;

  @ApiPropertyOptional({
    example: { tax_id: 'vat_number', credit_limit: 'credit_limit_chf', vip: 'is_vip', onboarded: 'onboarded_on' },
    description:
      'custom field key → their column: extra columns of the table, answered in the record’s `customFields` and written from it (accounts, contacts and deals of database sources; not REST). A key is lower-case letters, digits and underscores starting with a letter (at most 64). The column must exist, be text, integer, decimal, boolean, date, timestamp or uuid, and be mapped by no field or other key; otherwise 422. Values are answered by the column’s type: text, numbers for integers, exact text for decimals ("1250.50"), booleans, `YYYY-MM-DD` for dates, ISO 8601 for timestamps. A write of a key not declared here is a 409 (not mapped), as for an unmapped field; a value the column cannot hold exactly (another type, too long, more decimal places than it has, null for NOT NULL) is a 422 naming `customFields.<key>`. No rule (`validations`) can target a custom field.',
  })
  @IsOptional()
  @IsRecordOf(isShortString, 'custom field key → their column name', 100)
  customFields?: Record<string, string>;
}

export class EntityMappingsDto {
  @ApiPropertyOptional({ type: EntityMappingDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EntityMappingDto)
  inventory_item?: EntityMappingDto;

  @ApiPropertyOptional({ type: EntityMappingDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EntityMappingDto)
  contact?: EntityMappingDto;

  @ApiPropertyOptional({ type: EntityMappingDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EntityMappingDto)
  account?: EntityMappingDto;

  @ApiPropertyOptional({ type: EntityMappingDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EntityMappingDto)
  deal?: EntityMappingDto;

  @ApiPropertyOptional({ type: EntityMappingDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EntityMappingDto)
  activity?: EntityMappingDto;
}

export class DataSourceMappingsDto {
  @ApiProperty({ type: EntityMappingsDto, description: 'The mapped entities; ones left out are not served from the source' })
  @IsObject()
  @ValidateNested()
  @Type(() => EntityMappingsDto)
  entities: EntityMappingsDto;
}
