import { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CONTENT, operationsOf } from './operations';

/**
 * Fastify refuses a body before any route sees it: over BODY_LIMIT_BYTES is a 413, and anything
 * but JSON a 415 (the app removes the text/plain parser). Both apply to every route that takes a body.
 */
export function documentBodyRefusals(document: OpenAPIObject): void {
  for (const { operation } of operationsOf(document)) {
    if (!operation.requestBody) continue;
    operation.responses['413'] ??= { description: 'The body is larger than BODY_LIMIT_BYTES', content: ERROR_CONTENT };
    operation.responses['415'] ??= { description: 'The body is not JSON: send `content-type: application/json`', content: ERROR_CONTENT };
  }
}
