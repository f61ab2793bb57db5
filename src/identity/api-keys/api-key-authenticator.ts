import { ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Reflector } from '@nestjs/core';
import { LRUCache } from 'lru-cache';
import { TenantDirectoryCache } from '../../../libs/tenancy/tenant-directory-cache';
import { Actor, ApiKeyCaller } from '../../platform/request-context/request-context';
import { AppConfig } from '../../platform/config/app-config';
import { AccessChanges } from '../../control-plane/access-changes';
import { ApiKeysService } from '../../control-plane/api-keys/api-keys.service';
import { StoredApiKey } from '../../control-plane/api-keys/stored-api-key';
import { RevocationList } from '../../control-plane/sessions/revocation-list';
import { UsersService } from '../../control-plane/users/users.service';
import { MembershipCache } from '../../control-plane/tenant-binding/membership-cache';
import { AccessRule } from '../../platform/access/access.decorators';
import { apiKeySecretMatches, looksLikeApiKey, parseApiKey } from '../../platform/access/api-key-format';
import { REFUSES_API_KEYS } from '../../platform/access/refuses-api-keys.decorator';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** How often a key's lastUsedAt is written at most (per process; the UPDATE also skips recent ones). */
const LAST_USED_PRECISION_MS = 60_000;

/**
 * Turns an API key presented as a bearer token into the actor it acts as, or a 401/403 saying
 * why not. A key acts on behalf of its creator and never beyond them: a tenant key's permissions
 * are its own intersected with what its creator holds in the tenant now, and it stops working
 * (401) when the creator is no longer an active member (a platform key: an active platform admin).
 *
 * Keys are cached by public id for TENANT_CACHE_TTL_SECONDS, like memberships; a revocation also
 * goes out as a session revocation (the key's id), which every process applies at once. The cache
 * is cleared whenever the change feed reconnects, as the other access caches are.
 */
@Injectable()
export class ApiKeyAuthenticator {
  private readonly logger = new Logger(ApiKeyAuthenticator.name);
  private readonly keys: LRUCache<string, StoredApiKey>;
  /** Key id → when this process last recorded a use of it. */
  private readonly usesRecorded = new LRUCache<string, number>({ max: 100_000 });

  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly tenants: TenantDirectoryCache,
    private readonly memberships: MembershipCache,
    private readonly users: UsersService,
    private readonly reflector: Reflector,
    private readonly revocations: RevocationList,
    changes: AccessChanges,
    config: ConfigService<AppConfig, true>,
  ) {
    this.keys = new LRUCache({ max: 10_000, ttl: Math.max(config.get('tenancy.cacheTtlMs', { infer: true }), 1) });
    apiKeys.onRevoked((publicId) => this.keys.delete(publicId));
    changes.onAnythingMayHaveChanged(() => this.keys.clear());
  }

  /** The bearer token when it is an API key; undefined leaves the header to the access-token path. */
  static keyIn(authorization: string | string[] | undefined): string | undefined {
    const token = typeof authorization === 'string' ? BEARER.exec(authorization)?.[1] : undefined;
    return token && looksLikeApiKey(token) ? token : undefined;
  }

  /** The actor a key acts as, or a 401 saying why not; where it may call is the guard's question (assertMayCall). */
  async authenticate(token: string): Promise<Actor> {
    const key = await this.verifiedKey(token);
    const actor = key.scope === 'tenant' ? await this.tenantActor(key) : await this.platformActor(key);
    await this.recordUse(key.id);
    return actor;
  }

  private async verifiedKey(token: string): Promise<StoredApiKey> {
    const parsed = parseApiKey(token);
    const key = parsed ? await this.find(parsed.publicId) : null;
    if (!parsed || !key || key.scope !== parsed.scope || !apiKeySecretMatches(parsed.secret, key.secretHash)) {
      throw new UnauthorizedException('API key is invalid');
    }
    if (key.revokedAt || this.revocations.isSessionRevoked(key.id, key.createdAt.getTime()))
      throw new UnauthorizedException('API key has been revoked');
    if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) throw new UnauthorizedException('API key has expired');
    return key;
  }

  private async find(publicId: string): Promise<StoredApiKey | null> {
    const cached = this.keys.get(publicId);
    if (cached) return cached;
    const key = await this.apiKeys.findByPublicId(publicId);
    if (key) this.keys.set(publicId, key);
    return key;
  }

  /** Tenant keys work on /api routes, platform keys on /control routes; neither on /auth or on routes that refuse keys. */
  assertMayCall({ scope }: ApiKeyCaller, rule: AccessRule, route: ExecutionContext): void {
    const platformRule = rule.kind === 'platform-admin' || rule.kind === 'tenant-administration';
    if (scope === 'tenant' && rule.kind !== 'tenant') throw new ForbiddenException('A tenant API key works only on /api routes');
    if (scope === 'platform' && !platformRule) throw new ForbiddenException('A platform API key works only on /control routes');
    if (this.reflector.getAllAndOverride<boolean | undefined>(REFUSES_API_KEYS, [route.getHandler(), route.getClass()])) {
      throw new ForbiddenException('API keys cannot call this route; a signed-in user must');
    }
  }

  private async tenantActor(key: StoredApiKey): Promise<Actor> {
    const tenantId = key.tenantId!;
    const tenant = await this.tenants.find(tenantId);
    if (!tenant || tenant.status !== 'active') throw new UnauthorizedException('The API key’s tenant is not active');
    const creator = await this.memberships.accessOf(key.createdByUserId, tenantId);
    if (!creator) throw new UnauthorizedException('The API key’s creator is no longer an active member of its tenant');
    const permissions = key.permissions.filter((permission) => creator.permissions.includes(permission));
    return { userId: key.createdByUserId, tenantId, roles: [], apiKey: { id: key.id, scope: 'tenant', permissions } };
  }

  private async platformActor(key: StoredApiKey): Promise<Actor> {
    const creator = await this.users.accessProfile(key.createdByUserId);
    if (creator?.status !== 'active' || creator.platformRole !== 'platform_admin') {
      throw new UnauthorizedException('The API key’s creator is no longer an active platform admin');
    }
    return { userId: key.createdByUserId, roles: [], apiKey: { id: key.id, scope: 'platform', permissions: [] } };
  }

  /** lastUsedAt to the minute: at most one write per key and minute per process, not one per request. */
  private async recordUse(keyId: string): Promise<void> {
    const now = Date.now();
    if (now - (this.usesRecorded.get(keyId) ?? 0) < LAST_USED_PRECISION_MS) return;
    this.usesRecorded.set(keyId, now);
    try {
      await this.apiKeys.recordUse(keyId);
    } catch (error) {
      // A missed lastUsedAt must not fail the request it describes.
      this.logger.warn(`Could not record the use of API key ${keyId}: ${(error as Error).message}`);
    }
  }
}
