import { OpenAPIObject } from '@nestjs/swagger';
import { operationsOf } from './operations';

/**
 * Says outright that public routes take no credentials (`security: []`). Every protected route
 * documents its bearer security through its access decorator (src/platform/access), and the global
 * AccessGuard refuses routes that state no access rule, so a route without security here is a
 * `@Public()` one.
 */
export function markPublicOperations(document: OpenAPIObject): void {
  for (const { operation } of operationsOf(document)) operation.security ??= [];
}
