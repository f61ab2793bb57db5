import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, IsString, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { MappedValue } from '../../../../libs/byod';
import { IsRecordOf, isShortString } from './is-record-of';

const isValueMap = (value: unknown) =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  Object.values(value).every((inner) => isShortString(inner) || typeof inner === 'boolean' || (typeof inner === 'number' && Number.isFinite(inner)));

export class EntityMappingDto {
  @ApiProperty({ example: 'vehicles', description: 'A table (or view) the last test found, exactly as named there' })
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  table: string;

  @ApiProperty({ example: { sku: 'vehicle_id', name: 'model_name', stock_on_hand: 'vehicle_inventory_count' }, description: 'our field → their column' })
  @IsRecordOf(isShortString, 'our field → their column name', 100)
  fields: Record<string, string>;

  @ApiPropertyOptional({ example: { status: { available: 'in_stock', reserved: 'on_hold', sold: 'sold', archived: 'retired' } }, description: 'our field → (our value → their value)' })
  @IsOptional()
  @IsRecordOf(isValueMap, 'our field → { our value: their value (string, number or boolean) }', 100)
  valueMaps?: Record<string, Record<string, MappedValue>>;
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
}

export class DataSourceMappingsDto {
  @ApiProperty({ type: EntityMappingsDto, description: 'The mapped entities; ones left out are not served from the source' })
  @IsObject()
  @ValidateNested()
  @Type(() => EntityMappingsDto)
  entities: EntityMappingsDto;
}
