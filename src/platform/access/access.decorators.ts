import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiHeader, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { TenantPermissionName } from './tenant-permissions';

export type AccessRule =
  | { kind: 'public' }
  | { kind: 'authenticated' }
  | { kind: 'platform-admin' }
  | { kind: 'tenant-administration'; tenantIdParam?: string }
  | { kind: 'tenant'; permission: TenantPermissionName };

export const ACCESS_RULE = 'tenantry:access-rule';

/**
 * Every route states who may call it; the global AccessGuard refuses routes that state nothing.
 * Each decorator also documents the 401/403 answers in Swagger.
 */
function protectedRoute(rule: AccessRule, forbidden: string) {
  return applyDecorators(
    SetMetadata(ACCESS_RULE, rule),
    ApiBearerAuth(),
    ApiUnauthorizedResponse({
      type: ErrorResponseDto,
      description:
        'Missing, expired or invalid access token or API key (a key also when revoked, its tenant not active or its creator no longer allowed), ' +
        'or its session has ended (`The session has ended`: logout, password change, disabled account, removal from the tenant, tenant suspended)',
    }),
    ApiForbiddenResponse({ type: ErrorResponseDto, description: forbidden }),
  );
}

export const Public = () => SetMetadata(ACCESS_RULE, { kind: 'public' } satisfies AccessRule);

/** Any signed-in user, with or without a tenant. */
export const Authenticated = () => protectedRoute({ kind: 'authenticated' }, 'The account is disabled');

export const PlatformAdmin = () => protectedRoute({ kind: 'platform-admin' }, 'The caller is not a platform admin');

/**
 * Platform admins, and super admins for the tenants assigned to them. With a `tenantIdParam`
 * the route's tenant is checked; without one the handler must scope what it returns.
 */
export const TenantAdministration = (tenantIdParam?: string) =>
  protectedRoute(
    { kind: 'tenant-administration', tenantIdParam },
    'The caller is neither a platform admin nor a super admin assigned to this tenant',
  );

/** How a token without a tenant (a platform admin's, or a user's signed in without one) names the tenant of an /api request. */
export const TENANT_HEADER = {
  name: 'x-tenant-id',
  required: false,
  description:
    'Tenant slug or id, for a token that carries no tenant. A token signed into a tenant (or a tenant API key) decides the tenant itself: ' +
    'a header naming another one is a 403.',
  schema: { type: 'string' as const, pattern: '^[A-Za-z0-9-]{1,63}$' },
};

/** A user signed into a tenant whose role there (built-in or custom) grants this permission. */
export const TenantPermission = (permission: TenantPermissionName) =>
  applyDecorators(
    protectedRoute(
      { kind: 'tenant', permission },
      `The caller's tenant role does not grant ${permission}, the caller is not a member of the tenant, the tenant is suspended, ` +
        'or x-tenant-id names another tenant than the token',
    ),
    ApiHeader(TENANT_HEADER),
  );

export const TENANT_MODULE = 'tenantry:tenant-module';

/**
 * The tenant module a controller belongs to (the name in its declaration, see src/platform/tenant-modules):
 * for a tenant that has not enabled it, its routes answer 403 naming the module.
 */
export const TenantModule = (module: string) => SetMetadata(TENANT_MODULE, module);
