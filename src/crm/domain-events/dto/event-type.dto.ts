import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { EventTypeDeclaration } from '../../../../libs/tenancy/outbox/event-catalog';

/** One entry of the event catalog: what an event of this type and version carries in `data`. */
export class EventTypeDto {
  @ApiProperty({ example: 'invoice.paid', description: '`<entity>.<what happened>`; stable' })
  type: string;

  @ApiProperty({ type: 'integer', example: 1, description: 'Version of the `data` schema; a breaking change is a new version' })
  version: number;

  @ApiProperty({ example: 'An invoice was paid in full' })
  description: string;

  @ApiPropertyOptional({
    example: 'InvoiceDto',
    description: 'Schema (in components.schemas) of `data.record`: the record as the API returns it after the change',
  })
  recordSchema?: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { from: 'the previous value', to: 'the new value' },
    description: 'The other fields of `data`, each with what it holds',
  })
  fields: Record<string, string>;

  static from(declaration: EventTypeDeclaration): EventTypeDto {
    return {
      type: declaration.type,
      version: declaration.version,
      description: declaration.description,
      ...(declaration.record ? { recordSchema: declaration.record.name } : {}),
      fields: declaration.fields,
    };
  }
}
