import { applyDecorators } from '@nestjs/common';
import { ApiExtension, OpenAPIObject } from '@nestjs/swagger';

/** Marks the operations of a controller whose records a byod tenant's own system serves (its PlacementStores). */
export const SERVED_FROM_TENANT_SYSTEM = 'x-served-from-tenant-system';

export function ServedFromTenantSystem(): ClassDecorator {
  return applyDecorators(
    ApiExtension(SERVED_FROM_TENANT_SYSTEM, {
      description: "For a byod tenant, this route reads and writes the tenant's own system through its field mapping",
    }),
  );
}

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } };
const WRITES = ['put', 'post', 'delete', 'patch'] as const;

const BYOD_ANSWERS: { status: string; answer: string; writesOnly?: boolean }[] = [
  { status: '403', answer: 'for a byod tenant: its data source is read-only', writesOnly: true },
  {
    status: '409',
    answer:
      'for a byod tenant: its data source is not active yet, a field sent is not mapped onto its system (`details` names it), or its system refused the write as a conflict with its data (a duplicate, a missing referenced row)',
  },
  {
    status: '422',
    answer:
      'for a byod tenant: its system refused a value its column cannot hold (out of an ENUM, too long, a failed CHECK); `details` names the field when it can be known',
    writesOnly: true,
  },
  {
    status: '503',
    answer:
      'for a byod tenant: its own system cannot be reached or does not answer in time, including while the circuit breaker stays open after repeated failures of that system',
  },
];

/**
 * The answers a byod tenant's own system adds on the routes it serves, appended to the route's own
 * answer of that status, like the tenant-binding answers.
 */
export function documentByodAnswers(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', ...WRITES] as const) {
      const operation = item[method];
      if (!operation || !(SERVED_FROM_TENANT_SYSTEM in operation)) continue;
      for (const { status, answer, writesOnly } of BYOD_ANSWERS) {
        if (writesOnly && method === 'get') continue;
        const own = operation.responses[status];
        operation.responses[status] =
          own && 'description' in own
            ? { ...own, description: `${own.description.replace(/\.$/, '')}; or ${answer}` }
            : { description: answer[0].toUpperCase() + answer.slice(1), content: ERROR_CONTENT };
      }
    }
  }
}
