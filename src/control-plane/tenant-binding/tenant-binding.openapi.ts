import { OpenAPIObject } from '@nestjs/swagger';
import { TENANT_HEADER } from '../../platform/access/access.decorators';

const ERROR_CONTENT = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } };
const NOT_FOUND = "the request's tenant was deleted, or the token's tenant no longer exists";
const CONFLICT = 'the tenant is still being provisioned, or failed to provision';

/**
 * Binding the request's tenant (TenantAccessService) answers 404 and 409 on every route that
 * takes one (those documenting the x-tenant-id header): added to the route's own answer of that
 * status, if it has one, like the Idempotency-Key answers.
 */
export function documentTenantBindingAnswers(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.get, item.put, item.post, item.delete, item.patch]) {
      if (!operation?.parameters?.some((parameter) => 'name' in parameter && parameter.name === TENANT_HEADER.name)) continue;
      for (const [status, answer] of [
        ['404', NOT_FOUND],
        ['409', CONFLICT],
      ]) {
        const own = operation.responses[status];
        operation.responses[status] =
          own && 'description' in own
            ? { ...own, description: `${own.description}; or ${answer}` }
            : { description: capitalize(answer), content: ERROR_CONTENT };
      }
    }
  }
}

const capitalize = (text: string) => text[0].toUpperCase() + text.slice(1);
