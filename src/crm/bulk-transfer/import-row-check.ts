import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { ImportRowError } from '../../control-plane/bulk-imports/bulk-import-records';
import { appValidationPipe } from '../../platform/validation/app-validation-pipe';
import { CustomFieldDefinition } from '../custom-fields/entities/custom-field-definition.entity';
import { customKeyOf, TransferEntity } from './transfer-entities';

/** A problem with one row of an import, as its error report lists it. */
export type RowError = ImportRowError;

/** A row that passed the API's checks: the DTO its create route would have received, and the row's external key. */
export interface CheckedRow {
  row: number;
  dto: Record<string, unknown>;
  key: string;
}

const WHOLE_NUMBER = /^-?\d+$/;
const NUMBER = /^-?\d+(\.\d+)?$/;

/**
 * Checks each row of one import with the rules of the entity's create route: the very validation
 * pipe every route's body goes through (unknown fields refused, the DTO's class-validator rules),
 * after a CSV row's text cells are given the types the DTO and the tenant's custom fields expect.
 * Custom field values are checked against their definitions where the record is written, like the API does.
 */
export class ImportRowCheck {
  private readonly pipe: ValidationPipe = appValidationPipe();
  private readonly customTypes: Map<string, string>;
  private readonly answerOnly: Set<string>;

  constructor(
    private readonly entity: TransferEntity,
    private readonly externalKey: string,
    private readonly fromText: boolean,
    definitions: CustomFieldDefinition[],
  ) {
    this.customTypes = new Map(definitions.map((definition) => [definition.key, definition.type]));
    this.answerOnly = new Set(entity.answerOnlyFields);
  }

  async check(row: number, fields: Record<string, unknown>): Promise<CheckedRow | RowError[]> {
    const body = this.fromText ? this.typedCells(fields) : this.withoutAnswerOnly(fields);
    if (this.keyOf(body) === undefined) return this.keyRequired(row);
    try {
      const dto = (await this.pipe.transform(body, { type: 'body', metatype: this.entity.createDto })) as Record<string, unknown>;
      // A DTO instance carries every declared field, the ones not sent as undefined: only those sent are the row's.
      const sent: Record<string, unknown> = {};
      for (const name of Object.keys(dto)) if (dto[name] !== undefined) sent[name] = dto[name];
      // The key as the record will hold it (an email lower-cased, a name trimmed): what a later run's lookup finds.
      const key = this.keyOf(sent);
      return key === undefined ? this.keyRequired(row) : { row, dto: sent, key };
    } catch (error) {
      if (error instanceof BadRequestException) return rowErrorsOf(row, error);
      throw error;
    }
  }

  private keyRequired(row: number): RowError[] {
    return [{ row, field: this.externalKey, message: `${this.externalKey} (the external key) is required` }];
  }

  private keyOf(body: Record<string, unknown>): string | undefined {
    const custom = customKeyOf(this.externalKey);
    const value = custom === undefined ? body[this.externalKey] : (body.customFields as Record<string, unknown> | undefined)?.[custom];
    if (value === undefined || value === null || value === '') return undefined;
    return typeof value === 'string' ? value : JSON.stringify(value);
  }

  private withoutAnswerOnly(fields: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(Object.entries(fields).filter(([name]) => !this.answerOnly.has(name)));
  }

  /** A CSV row's cells as the JSON body would carry them: `customFields.<key>` columns nested, numbers and booleans typed. */
  private typedCells(cells: Record<string, unknown>): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    const customFields: Record<string, unknown> = {};
    for (const [name, text] of Object.entries(cells)) {
      if (this.answerOnly.has(name)) continue;
      const custom = customKeyOf(name);
      if (custom !== undefined) customFields[custom] = typedCustomValue(this.customTypes.get(custom), text as string);
      else body[name] = this.entity.integerFields.includes(name) && WHOLE_NUMBER.test(text as string) ? Number(text) : text;
    }
    if (Object.keys(customFields).length > 0) body.customFields = customFields;
    return body;
  }
}

function typedCustomValue(type: string | undefined, text: string): unknown {
  if (type === 'number' && NUMBER.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/** The field errors of a 400 (or any HTTP answer), one per field, as rows of the error report. */
export function rowErrorsOf(row: number, error: { getResponse(): string | object; message: string }): RowError[] {
  const response = error.getResponse();
  const details =
    typeof response === 'object' ? (response as { details?: Array<{ field: string; problems: string[] }> }).details : undefined;
  if (details?.length) return details.map(({ field, problems }) => ({ row, field, message: problems.join('; ') }));
  const message = typeof response === 'object' ? (response as { message?: unknown }).message : response;
  return [{ row, field: '', message: typeof message === 'string' ? message : error.message }];
}
