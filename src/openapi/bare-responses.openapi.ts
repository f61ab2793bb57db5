import { OpenAPIObject } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { operationsOf } from './operations';

const NOT_FOUND_IN_TENANT = 'Not found: no such record in this tenant (a record of another tenant answers the same)';

/**
 * Answers a route declares without a description (`@ApiOkResponse({ type })`) get the status's
 * name, so every response says something in generated docs and clients; an /api 404 also says
 * that other tenants' ids are not told apart from missing ones.
 */
export function describeBareResponses(document: OpenAPIObject): void {
  for (const { path, operation } of operationsOf(document)) {
    for (const [status, response] of Object.entries(operation.responses)) {
      if (!response || !('description' in response) || response.description) continue;
      response.description = status === '404' && path.startsWith('/api/') ? NOT_FOUND_IN_TENANT : (STATUS_CODES[status] ?? status);
    }
  }
}
