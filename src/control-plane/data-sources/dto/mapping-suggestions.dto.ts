import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { EntityMapping, EntitySuggestion } from '../../../../libs/byod';
import { FieldErrorDto } from '../../../platform/errors/error-response.dto';
import { DataSourceMappingsDto, EntityMappingDto } from './data-source-mappings.dto';

export class FieldProposalDto {
  @ApiProperty({ example: 'qty_in_stock' })
  column: string;

  @ApiProperty({
    type: 'integer',
    minimum: 0,
    maximum: 100,
    example: 72,
    description: 'A percentage: how alike the names are; 100 for the primary key of a key field',
  })
  confidence: number;

  @ApiProperty({ example: 'name: qty ~ stock, on; int(11) holds integer' })
  reason: string;
}

export class ValueProposalDto {
  @ApiProperty({ example: 'in_stock', description: 'A value the column lists (ENUM, CHECK) or holds in a sampled row' })
  value: string;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, example: 90, description: 'A percentage' })
  confidence: number;

  @ApiProperty({ example: 'listed value: in_stock ~ available' })
  reason: string;
}

export class UnmatchedFieldDto {
  @ApiProperty({ example: 'status.archived', description: 'Our field, or `field.value` for a fixed value without a source value' })
  field: string;

  @ApiProperty({ example: true })
  required: boolean;

  @ApiProperty({ example: "none of the column's values (on_shelf, gone) is like it" })
  reason: string;
}

@ApiExtraModels(FieldProposalDto, ValueProposalDto)
export class EntitySuggestionDto {
  @ApiProperty({
    nullable: true,
    type: String,
    example: 'stock_lines',
    description: 'The best-fitting table; null when none has a fitting primary key',
  })
  table: string | null;

  @ApiProperty({ type: 'integer', minimum: 0, maximum: 100, example: 65, description: 'A percentage: how well the table fits' })
  confidence: number;

  @ApiProperty({ example: true, description: 'The mapping passes PUT …/mappings as it is' })
  complete: boolean;

  @ApiProperty({ type: EntityMappingDto, nullable: true, description: 'The proposed mapping, as PUT …/mappings takes it' })
  mapping: EntityMapping | null;

  @ApiProperty({
    description: 'our field → the proposed column, with why',
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(FieldProposalDto) },
  })
  fields: Record<string, FieldProposalDto>;

  @ApiProperty({
    description: 'our field with fixed values → our value → the proposed source value, with why',
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { $ref: getSchemaPath(ValueProposalDto) } },
  })
  valueMaps: Record<string, Record<string, ValueProposalDto>>;

  @ApiProperty({ type: [UnmatchedFieldDto], description: 'What has no proposal, and why' })
  unmatched: UnmatchedFieldDto[];

  @ApiProperty({ type: [FieldErrorDto], description: 'What PUT …/mappings would refuse in `mapping` as it is (empty when complete)' })
  problems: FieldErrorDto[];
}

@ApiExtraModels(EntitySuggestionDto)
export class MappingSuggestionsDto {
  @ApiProperty({
    type: DataSourceMappingsDto,
    description: 'The complete proposals together, a body PUT …/mappings takes as it is; confirm (or edit) and send it',
  })
  mappings: DataSourceMappingsDto;

  @ApiProperty({
    description: 'Per mappable entity: the proposal with a confidence and reason for each field and value',
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(EntitySuggestionDto) },
  })
  entities: Record<string, EntitySuggestionDto>;

  static from(suggestions: Record<string, EntitySuggestion>): MappingSuggestionsDto {
    const complete = Object.entries(suggestions).filter(([, suggestion]) => suggestion.complete && suggestion.mapping);
    return {
      mappings: { entities: Object.fromEntries(complete.map(([entity, suggestion]) => [entity, suggestion.mapping!])) },
      entities: suggestions,
    };
  }
}
