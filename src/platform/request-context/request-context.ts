import { Injectable } from '@nestjs/common';
import { ClsService, ClsStore } from 'nestjs-cls';
import { recordTenantOnRequestSpan } from '../tracing/request-span';

export interface Actor {
  userId: string;
  tenantId?: string;
  /** The session (`sid`) the access token belongs to. */
  sessionId?: string;
  /** As the access token states them. */
  roles: string[];
  /** Read fresh from the control plane on control-plane routes. */
  platformRole?: string | null;
  /** What the caller may do in the request's tenant, as the access guard granted it on /api routes. */
  tenantPermissions?: readonly string[];
  /** The token's restriction, if any (src/auth/mfa/mfa-enrolment-scope.ts). */
  scope?: string;
  /** Set when the caller is an API key; `userId` is then the user who created the key. */
  apiKey?: ApiKeyCaller;
}

export interface ApiKeyCaller {
  id: string;
  scope: 'tenant' | 'platform';
  /** What a tenant key may do: its own permissions within its creator's current ones. */
  permissions: readonly string[];
}

export interface RequestContextStore extends ClsStore {
  clientIp?: string;
  actor?: Actor;
  /** The tenant whose data this request reaches, once access to it is granted. */
  tenantId?: string;
}

/** Who is asking, and from where, for the current request (AsyncLocalStorage via nestjs-cls). */
@Injectable()
export class RequestContext {
  constructor(private readonly cls: ClsService<RequestContextStore>) {}

  get requestId(): string | undefined {
    return this.cls.isActive() ? this.cls.getId() : undefined;
  }

  get clientIp(): string | undefined {
    return this.cls.isActive() ? this.cls.get('clientIp') : undefined;
  }

  get actor(): Actor | undefined {
    return this.cls.isActive() ? this.cls.get('actor') : undefined;
  }

  /** The tenant whose data this request reaches, once access to it is granted. */
  get tenantId(): string | undefined {
    return this.cls.isActive() ? this.cls.get('tenantId') : undefined;
  }

  setActor(actor: Actor): void {
    this.cls.set('actor', actor);
  }

  /** Binds the request to its tenant, for the logs, the audit trail and the request's trace span. */
  setTenantId(tenantId: string): void {
    this.cls.set('tenantId', tenantId);
    recordTenantOnRequestSpan(tenantId);
  }

  /** Who and which tenant, for every log line of the request (read when the line is written). */
  logFields(): { userId?: string; apiKeyId?: string; tenantId?: string } {
    if (!this.cls.isActive()) return {};
    const actor = this.cls.get('actor');
    return { userId: actor?.userId, apiKeyId: actor?.apiKey?.id, tenantId: this.cls.get('tenantId') ?? actor?.tenantId };
  }
}
