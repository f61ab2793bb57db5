import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { TenantContext } from '../../../libs/tenancy/tenant-context';

/** Fastify refuses longer route parameters (414) before any pipe runs. */
const SOURCE_KEY = /^[^\p{Cc}]{1,100}$/u;

/**
 * A record id in a route: a UUID for tenants whose data Tenantry keeps; for a `byod` tenant the
 * key of the customer's own table (e.g. a SKU), which is any printable text up to 100
 * characters, always bound as a parameter, never spliced into SQL.
 */
@Injectable()
export class TenantRecordIdPipe implements PipeTransform<string, string> {
  constructor(private readonly context: TenantContext) {}

  transform(value: string): string {
    const byod = this.context.get()?.recordStore === 'mapped';
    if (byod ? SOURCE_KEY.test(value) : isUUID(value)) return value;
    const expected = byod ? 'printable text of 1 to 100 characters' : 'a UUID';
    throw new BadRequestException({
      message: `Validation failed (id must be ${expected})`,
      details: [{ field: 'id', problems: [`must be ${expected}`] }],
    });
  }
}
