import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ValidateBy, ValidationArguments, ValidationOptions } from 'class-validator';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { recordIdProblem } from './tenant-record-id.pipe';

/**
 * The tenant contexts of the applications running in this process. class-validator builds its
 * validators outside Nest's injection, so they find the request's tenant here: each application
 * keeps its requests in its own AsyncLocalStorage, so only the one serving the request being
 * validated has a tenant bound (tests run several applications in one process).
 */
const tenantContexts = new Set<TenantContext>();

/** Lets IsTenantRecordId see this application's bound tenant while the application runs. */
@Injectable()
export class TenantRecordIdValidation implements OnModuleInit, OnModuleDestroy {
  constructor(private readonly context: TenantContext) {}

  onModuleInit(): void {
    tenantContexts.add(this.context);
  }

  onModuleDestroy(): void {
    tenantContexts.delete(this.context);
  }
}

function boundToByodTenant(): boolean {
  for (const context of tenantContexts) {
    const tenant = context.get();
    if (tenant) return tenant.recordStore === 'mapped';
  }
  return false;
}

/**
 * A body or query field naming another record of the tenant (a deal's account, an activity's
 * record), held to what TenantRecordIdPipe holds route ids to: a UUID, or for a `byod` tenant the
 * customer's key. Validation runs after the tenant is bound.
 */
export function IsTenantRecordId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isTenantRecordId',
      validator: {
        validate: (value: unknown) => recordIdProblem(value, boundToByodTenant()) === undefined,
        defaultMessage: ({ property, value }: ValidationArguments) => `${property} ${recordIdProblem(value, boundToByodTenant())}`,
      },
    },
    options,
  );
}
