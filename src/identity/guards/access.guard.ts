import { CanActivate, ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { Actor, RequestContext } from '../../platform/request-context/request-context';
import { UsersService } from '../../control-plane/users/users.service';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { TenantAccessService } from '../../control-plane/tenant-binding/tenant-access.service';
import { ACCESS_RULE, AccessRule, TENANT_MODULE } from '../../platform/access/access.decorators';
import { ApiKeyAuthenticator } from '../api-keys/api-key-authenticator';
import { ALLOWED_DURING_MFA_ENROLMENT, assertScopeAllows } from '../mfa/mfa-enrolment-scope';
import { RequestAuthenticator } from '../strategies/bearer-authentication';

interface GuardedRequest {
  /** Where @CurrentActor() finds the caller, as in any Nest app. */
  user?: Actor;
  params: Record<string, string | undefined>;
  /** Writes to a tenant whose move is switching it wait for the switch (TenantAccessService). */
  method?: string;
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  hostname?: string;
}

/**
 * The one global guard: authenticates the caller (through the passport strategies of
 * RequestAuthenticator) and enforces the route's access rule. A route without a rule is refused,
 * so forgetting a decorator fails closed.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: RequestAuthenticator,
    private readonly apiKeys: ApiKeyAuthenticator,
    private readonly users: UsersService,
    private readonly context: RequestContext,
    private readonly tenantAccess: TenantAccessService,
    private readonly tenantContext: TenantContext,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE, [context.getHandler(), context.getClass()]);
    if (!rule) {
      this.logger.error(`${context.getClass().name}.${context.getHandler().name} declares no access rule; refusing`);
      throw new ForbiddenException('This route declares no access rule');
    }
    if (rule.kind === 'public') return true;

    const request = context.switchToHttp().getRequest<GuardedRequest>();
    const actor = await this.authenticator.authenticate(context);
    if (actor.apiKey) this.apiKeys.assertMayCall(actor.apiKey, rule, context);
    request.user = actor;
    this.context.setActor(actor);
    const allowedDuringMfaEnrolment = this.reflector.getAllAndOverride<boolean | undefined>(ALLOWED_DURING_MFA_ENROLMENT, [
      context.getHandler(),
      context.getClass(),
    ]);
    assertScopeAllows(actor, allowedDuringMfaEnrolment);

    if (rule.kind === 'tenant') {
      const module = this.reflector.getAllAndOverride<string | undefined>(TENANT_MODULE, [context.getHandler(), context.getClass()]);
      return this.checkTenantPermission(actor, rule.permission, request, module);
    }
    return this.checkPlatformAccess(actor, rule, request);
  }

  private async checkTenantPermission(actor: Actor, permission: string, request: GuardedRequest, module?: string): Promise<boolean> {
    const access = await this.tenantAccess.bind(request, actor);
    actor.tenantPermissions = access.permissions;
    const tenant = this.tenantContext.require();
    this.context.setTenantId(tenant.id);
    if (module && !tenant.enabledModules.includes(module)) {
      throw new ForbiddenException(`The ${module} module is not enabled for tenant "${tenant.slug}"`);
    }
    if (!access.permissions.includes(permission)) {
      const grantor = actor.apiKey ? 'This API key does' : `Your role "${access.role}" does`;
      throw new ForbiddenException(`${grantor} not grant the permission ${permission}`);
    }
    return true;
  }

  /** Control-plane rights are read fresh from the control plane, so revoking them takes effect at once. */
  private async checkPlatformAccess(actor: Actor, rule: AccessRule, request: GuardedRequest): Promise<boolean> {
    const profile = await this.users.accessProfile(actor.userId);
    if (!profile || profile.status !== 'active') throw new UnauthorizedException('The account is disabled or no longer exists');
    actor.platformRole = profile.platformRole;
    if (rule.kind === 'authenticated' || profile.platformRole === 'platform_admin') return true;
    if (rule.kind === 'tenant-administration' && profile.platformRole === 'super_admin') {
      const tenantId = rule.tenantIdParam ? request.params[rule.tenantIdParam] : undefined;
      if (!rule.tenantIdParam || (tenantId && (await this.users.isSuperAdminOf(actor.userId, tenantId)))) return true;
      throw new ForbiddenException('This tenant is not assigned to you');
    }
    throw new ForbiddenException(
      rule.kind === 'platform-admin' ? 'Requires the platform admin role' : 'Requires the platform admin role or a super admin assignment',
    );
  }
}
