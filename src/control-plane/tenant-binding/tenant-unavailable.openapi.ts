import { OpenAPIObject } from '@nestjs/swagger';

const TENANT_UNAVAILABLE =
  "The tenant's data cannot be reached right now, and trying again after `Retry-After` seconds will do: its database " +
  'connection was lost (a read was already tried twice; a write says whether it was applied, and only when that could not ' +
  'be learnt that it may have been), a lock was held past the lock timeout (e.g. a schema upgrade), the tenant is being ' +
  'upgraded, or the connection budget is exhausted.';

/**
 * Documents the 503 every tenant-data route (/api) may answer, with its Retry-After header, unless
 * the route documents its own. Called on the generated document, like the hostile-input 400.
 */
export function documentTenantUnavailable(document: OpenAPIObject): void {
  for (const [path, item] of Object.entries(document.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation || operation.responses['503']) continue;
      operation.responses['503'] = {
        description: TENANT_UNAVAILABLE,
        headers: { 'Retry-After': { description: 'Seconds to wait before trying again', schema: { type: 'integer' } } },
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } },
      };
    }
  }
}
