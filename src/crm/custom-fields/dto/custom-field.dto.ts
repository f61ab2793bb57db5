import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { IsDisplayText } from '../../../platform/validation/text';
import { CUSTOM_FIELD_ENTITIES } from '../custom-field-validation';
import { CUSTOM_FIELD_TYPES, CustomFieldDefinition } from '../entities/custom-field-definition.entity';

export class CreateCustomFieldDto {
  @ApiProperty({ enum: CUSTOM_FIELD_ENTITIES, example: 'account' })
  @IsIn(CUSTOM_FIELD_ENTITIES)
  entity: string;

  @ApiProperty({ example: 'tax_id', description: 'Lower-case letters, digits and underscores' })
  @Matches(/^[a-z][a-z0-9_]{0,63}$/, { message: 'key must match ^[a-z][a-z0-9_]{0,63}$' })
  key: string;

  @ApiProperty({ example: 'Tax ID', maxLength: 200 })
  @IsDisplayText(200)
  label: string;

  @ApiProperty({ enum: CUSTOM_FIELD_TYPES })
  @IsIn(CUSTOM_FIELD_TYPES)
  type: (typeof CUSTOM_FIELD_TYPES)[number];

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['gold', 'silver'], description: 'Required for select fields' })
  @ValidateIf((dto: CreateCustomFieldDto) => dto.type === 'select' || dto.options !== undefined)
  @ArrayMinSize(1, { message: 'options must list at least one value for a select field' })
  @ArrayMaxSize(100)
  @ArrayUnique()
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  options?: string[];
}

export class CustomFieldDto {
  @ApiProperty({ example: 'account' })
  entity: string;

  @ApiProperty({ example: 'tax_id' })
  key: string;

  @ApiProperty({ example: 'Tax ID' })
  label: string;

  @ApiProperty({ enum: CUSTOM_FIELD_TYPES })
  type: string;

  @ApiProperty()
  required: boolean;

  @ApiProperty({ type: [String] })
  options: string[];

  static from(definition: CustomFieldDefinition): CustomFieldDto {
    const { entity, key, label, type, required, options } = definition;
    return { entity, key, label, type, required, options };
  }
}
