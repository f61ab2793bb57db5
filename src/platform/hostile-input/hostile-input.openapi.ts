import { OpenAPIObject } from '@nestjs/swagger';
import { MAX_JSON_DEPTH } from './json-depth';

export const HOSTILE_INPUT_RULE =
  `Any route answers 400 to U+0000 (NUL) in its path, query, headers or anywhere in its JSON body (\`details\` names where), ` +
  `to an unpaired surrogate (\\uD800–\\uDFFF) in its JSON body, and to a JSON body nested deeper than ${MAX_JSON_DEPTH} levels; ` +
  `all are refused before authentication, so they change nothing.`;

/**
 * The refusals of refuseHostileInput apply to every route, so every operation documents a 400:
 * routes that already describe theirs keep it, the others get this one.
 */
export function documentHostileInputRefusals(document: OpenAPIObject): void {
  for (const item of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation || operation.responses['400']) continue;
      operation.responses['400'] = {
        description: HOSTILE_INPUT_RULE,
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } },
      };
    }
  }
}
