import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { TenantContext } from '../../../libs/tenancy/tenant-context';

/** Fastify refuses longer route parameters (414) before any pipe runs. */
const SOURCE_KEY = /^[^\p{Cc}]{1,100}$/u;

/**
 * What a record id must be for the bound tenant: a UUID where Tenantry keeps its data; for a `byod`
 * tenant the key of the customer's own table (e.g. a SKU), any printable text up to 100 characters.
 * `undefined` when `value` is one.
 */
export function recordIdProblem(value: unknown, byod: boolean): string | undefined {
  if (typeof value === 'string' && (byod ? SOURCE_KEY.test(value) : isUUID(value))) return undefined;
  return `must be ${byod ? 'printable text of 1 to 100 characters' : 'a UUID'}`;
}

/** A record id in a route, as `recordIdProblem` wants it; always bound as a parameter, never spliced into SQL. */
@Injectable()
export class TenantRecordIdPipe implements PipeTransform<string, string> {
  constructor(private readonly context: TenantContext) {}

  transform(value: string): string {
    const problem = recordIdProblem(value, this.context.get()?.recordStore === 'mapped');
    if (!problem) return value;
    throw new BadRequestException({
      message: `Validation failed (id ${problem})`,
      details: [{ field: 'id', problems: [problem] }],
    });
  }
}
