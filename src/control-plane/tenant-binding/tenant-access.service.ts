import { ConflictException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TenantContext, TenantRecord } from '../../../libs/tenancy/tenant-context';
import { TenantDirectoryCache } from '../../../libs/tenancy/tenant-directory-cache';
import { BoundTenant, boundTenantOf } from '../../../libs/tenancy/tenant-placement';
import { TenantReferenceRequest, tenantReferenceOf } from '../../../libs/tenancy/tenant-reference';
import { Actor } from '../../platform/request-context/request-context';
import { AppConfig } from '../../platform/config/app-config';
import { MembershipCache, TenantAccess } from './membership-cache';
import { TenantSchema } from '../../../libs/tenancy/tenant-schema';
import { RetryLaterException } from '../../platform/errors/retry-later.exception';
import { rememberBinding } from './bound-requests';
import { WriteFreezeGate } from './write-freeze-gate';

/**
 * Finds the tenant of a /api request (token, header, subdomain, ?tenant= in development),
 * checks the caller is an active member and the tenant may be served, and binds it to the
 * request, its placement decided there once (boundTenantOf). The role comes from the
 * membership, not the token, so a removal counts at once.
 */
@Injectable()
export class TenantAccessService {
  private readonly tenancy: AppConfig['tenancy'];

  constructor(
    private readonly cache: TenantDirectoryCache,
    private readonly context: TenantContext,
    private readonly memberships: MembershipCache,
    private readonly schema: TenantSchema,
    private readonly freeze: WriteFreezeGate,
    config: ConfigService<AppConfig, true>,
  ) {
    this.tenancy = config.get('tenancy', { infer: true });
  }

  /** Returns the caller's role and permissions in the tenant it bound to the request. */
  async bind(request: TenantReferenceRequest & { method?: string }, actor: Actor): Promise<TenantAccess> {
    const reference = tenantReferenceOf(request, actor.tenantId, this.tenancy);
    if (!reference) {
      throw new ForbiddenException('This route needs a tenant: log in with a tenant, use POST /auth/switch-tenant or send x-tenant-id');
    }
    let tenant = reference.value ? await this.cache.find(reference.value) : null;
    if (!tenant && reference.source === 'token') throw new NotFoundException('Tenant not found');
    // Membership before status: to a non-member an existing tenant and a missing one look the same.
    const access = tenant ? await this.accessOf(actor, tenant.id) : null;
    if (!tenant || !access) {
      throw new ForbiddenException(
        reference.source === 'token' ? 'Your membership of this tenant has ended' : `You are not a member of tenant "${reference.value}"`,
      );
    }
    // After membership, like status: only a member may learn that the tenant is being moved.
    if (isWrite(request.method)) {
      tenant = await this.freeze.lifted(tenant);
      if (!tenant) throw new NotFoundException('Tenant not found');
    }
    assertServable(tenant);
    const bound = boundTenantOf(tenant);
    this.assertSchemaCurrent(bound);
    this.context.set(bound);
    rememberBinding(request, { tenantId: tenant.id, userId: actor.userId });
    return access;
  }

  /** An API key's permissions were narrowed to its creator's membership when the key was authenticated. */
  private async accessOf(actor: Actor, tenantId: string): Promise<TenantAccess | null> {
    if (actor.apiKey) return { role: 'api_key', permissions: actor.apiKey.permissions };
    return this.memberships.accessOf(actor.userId, tenantId);
  }

  /**
   * A database behind the schema this app needs is being (or about to be) upgraded by the fleet
   * migration runner; serving it could fail half-way through a request, so callers are told to
   * come back. Migrations never run on the request path: they take locks and time. Records served
   * from the tenant's own system do not depend on our schema.
   */
  private assertSchemaCurrent(tenant: BoundTenant): void {
    if (tenant.recordStore === 'own' && this.schema.isBehind(tenant.schemaVersion)) {
      throw new RetryLaterException(
        `Tenant "${tenant.slug}" is being upgraded to the current schema; try again shortly`,
        UPGRADE_RETRY_AFTER_SECONDS,
      );
    }
  }
}

/** How long a write refused during a move's freeze is told to wait; the freeze itself lasts well under that. */

function isWrite(method: string | undefined): boolean {
  return method !== undefined && !['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase());
}

/** How long a client is told to wait while its tenant's database is upgraded. */
const UPGRADE_RETRY_AFTER_SECONDS = 30;

function assertServable(tenant: TenantRecord): void {
  switch (tenant.status) {
    case 'active':
      return;
    case 'suspended':
      throw new ForbiddenException(`Tenant "${tenant.slug}" is suspended`);
    case 'provisioning':
      throw new ConflictException(`Tenant "${tenant.slug}" is still being provisioned; try again shortly`);
    case 'failed':
      throw new ConflictException(`Tenant "${tenant.slug}" failed to provision; a platform admin can retry it`);
    default:
      throw new NotFoundException('Tenant not found');
  }
}
