import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata, UseInterceptors } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { MAX_IDEMPOTENCY_KEY_LENGTH } from './idempotency-key';
import { IdempotencyInterceptor, IdempotentRequest } from './idempotency.interceptor';
import { IdempotencyClaim } from './idempotency.service';
import { IDEMPOTENT_OPTIONS, IdempotentOptions } from './idempotent-options';

export const IDEMPOTENCY_KEY_DESCRIPTION =
  'Optional. Retrying with the same key and the same request returns the first answer (header `Idempotent-Replayed: true`) ' +
  `instead of doing it again. Printable ASCII, 1–${MAX_IDEMPOTENCY_KEY_LENGTH} characters (bare or as a quoted structured-field string), ` +
  'kept for IDEMPOTENCY_KEY_TTL_HOURS and scoped to the caller (API key, user and tenant, or client IP on public routes). ' +
  'A request that failed with an error answer is not kept: retrying it runs again.';

/**
 * Opts a create route into Idempotency-Key. Opt-in rather than every POST: a route-scoped
 * interceptor costs nothing on the others (see RequestContextModule on the price of a global one),
 * and only creates need it; routes whose answer holds a secret (API keys) must not store it.
 */
export const Idempotent = (options: IdempotentOptions = {}) =>
  applyDecorators(
    SetMetadata(IDEMPOTENT_OPTIONS, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description: IDEMPOTENCY_KEY_DESCRIPTION,
      schema: { type: 'string', maxLength: MAX_IDEMPOTENCY_KEY_LENGTH },
    }),
  );

/** The request's claim on its Idempotency-Key, when it sent one (for IdempotencyService.completeWithin). */
export const CurrentIdempotencyClaim = createParamDecorator(
  (_data: unknown, context: ExecutionContext): IdempotencyClaim | undefined =>
    context.switchToHttp().getRequest<IdempotentRequest>().idempotencyClaim,
);
