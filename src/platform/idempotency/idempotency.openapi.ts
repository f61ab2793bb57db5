import { OpenAPIObject } from '@nestjs/swagger';

const IN_FLIGHT = 'a request with the same Idempotency-Key is still in progress (retry later with the same key)';
const MISMATCH = 'The Idempotency-Key was already used for another request (method, path or body); `details` names the header';

/**
 * Routes taking an Idempotency-Key document its two answers: a 409 (added to the route's own
 * 409, if it has one) and a 422.
 */
export function documentIdempotencyAnswers(document: OpenAPIObject): void {
  const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponseDto' } } };
  for (const item of Object.values(document.paths)) {
    for (const operation of [item.post, item.put, item.patch]) {
      if (!operation?.parameters?.some((parameter) => 'name' in parameter && parameter.name === 'Idempotency-Key')) continue;
      const conflict = operation.responses['409'];
      operation.responses['409'] =
        conflict && 'description' in conflict
          ? { ...conflict, description: `${conflict.description}; or ${IN_FLIGHT}` }
          : { description: capitalize(IN_FLIGHT), content: errorContent };
      operation.responses['422'] ??= { description: MISMATCH, content: errorContent };
    }
  }
}

const capitalize = (text: string) => text[0].toUpperCase() + text.slice(1);
