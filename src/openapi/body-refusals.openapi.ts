import { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CONTENT, operationsOf } from './operations';

/**
 * Fastify reads the body of every request but a GET before any route sees it: over
 * BODY_LIMIT_BYTES is a 413, and anything but JSON a 415 (the app removes the text/plain
 * parser), also on routes that take no body (test/hostile-input.e2e-spec.ts sweeps them all).
 */
export function documentBodyRefusals(document: OpenAPIObject): void {
  for (const { method, operation } of operationsOf(document)) {
    if (method === 'get') continue;
    operation.responses['413'] ??= { description: 'The body is larger than BODY_LIMIT_BYTES', content: ERROR_CONTENT };
    operation.responses['415'] ??= { description: 'The body is not JSON: send `content-type: application/json`', content: ERROR_CONTENT };
  }
}
