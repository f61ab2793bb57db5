import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiForbiddenResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';

export const REFUSES_API_KEYS = 'tenantry:refuses-api-keys';

/**
 * A route only a signed-in person may call, never an API key: minting or revoking keys, and
 * changing who holds platform power or an account's password. A leaked key must not be able to
 * make itself permanent or turn into an interactive login.
 */
export const RefusesApiKeys = () =>
  applyDecorators(
    SetMetadata(REFUSES_API_KEYS, true),
    // Worded to stand alone: on a controller-level access rule, this method-level 403 replaces the rule's.
    ApiForbiddenResponse({
      type: ErrorResponseDto,
      description: 'Called with an API key (a signed-in user must call this route), or not allowed by the route’s access rule',
    }),
  );
