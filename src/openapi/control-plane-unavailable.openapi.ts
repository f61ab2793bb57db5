import { OpenAPIObject } from '@nestjs/swagger';
import { ERROR_CONTENT, operationsOf, RETRY_AFTER_HEADER } from './operations';

const CONTROL_PLANE_UNAVAILABLE =
  'The control-plane database did not answer within CONTROL_PLANE_STATEMENT_TIMEOUT_MS, or its connection was lost; ' +
  'trying again after `Retry-After` seconds will do.';

/**
 * /control and /auth routes read and write the control-plane database, whose statement timeouts
 * and lost connections the error filter answers with 503 and Retry-After. /api routes document
 * their own 503 (documentTenantUnavailable); /health says what its readiness 503 means itself.
 */
export function documentControlPlaneUnavailable(document: OpenAPIObject): void {
  for (const { path, operation } of operationsOf(document)) {
    if (!path.startsWith('/control/') && !path.startsWith('/auth/')) continue;
    operation.responses['503'] ??= { description: CONTROL_PLANE_UNAVAILABLE, headers: RETRY_AFTER_HEADER, content: ERROR_CONTENT };
  }
}
