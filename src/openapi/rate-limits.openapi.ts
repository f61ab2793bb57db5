import { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CONTENT, operationsOf, RETRY_AFTER_HEADER } from './operations';

export const RATE_LIMIT_HEADERS = {
  'RateLimit-Policy': {
    description:
      'The limits this request counted against (draft-ietf-httpapi-ratelimit-headers): per limit `"name";q=<requests>;w=<seconds>`, ' +
      'names `tenant` and `user` or `key`; absent when the tenant is unlimited',
    schema: { type: 'string' as const, example: '"tenant";q=600;w=60, "user";q=300;w=60' },
  },
  RateLimit: {
    description: 'What is left of each limit: `"name";r=<requests remaining>;t=<seconds until the window ends>`',
    schema: { type: 'string' as const, example: '"tenant";r=598;t=41, "user";r=299;t=41' },
  },
};

const TOO_MANY =
  'A rate limit of the tenant’s plan is reached: the tenant’s, or the caller’s (the user’s or the API key’s); ' +
  '`details.limit` names it (`tenant`, `user` or `key`). Try again after `Retry-After` seconds.';

/**
 * Documents on every tenant-data route (/api) the 429 of the rate limits and the RateLimit
 * headers of its answers. Called on the generated document, like the other shared answers.
 */
export function documentRateLimits(document: OpenAPIObject): void {
  for (const { path, operation } of operationsOf(document)) {
    if (!path.startsWith('/api/')) continue;
    for (const [status, response] of Object.entries(operation.responses)) {
      if (status.startsWith('2') && response && 'description' in response)
        response.headers = { ...response.headers, ...RATE_LIMIT_HEADERS };
    }
    const throttled = operation.responses['429'];
    operation.responses['429'] =
      throttled && 'description' in throttled
        ? { ...throttled, description: `${throttled.description}; or ${TOO_MANY}` }
        : { description: TOO_MANY, headers: { ...RETRY_AFTER_HEADER, ...RATE_LIMIT_HEADERS }, content: ERROR_CONTENT };
  }
}
