import { recordSessionRevocation } from '../sessions/session-revocations';
import { BadRequestException, ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { allTenantPermissions } from '../../platform/access/tenant-permissions';
import { API_KEY_PREFIXES, mintApiKey } from '../../platform/access/api-key-format';
import { AuditService } from '../audit/audit.service';
import { MembershipDirectory } from '../memberships/membership-directory';
import { ApiKeyDto, CreatedApiKeyDto, CreatePlatformApiKeyDto, CreateTenantApiKeyDto } from './dto/api-key.dto';
import { ApiKey } from '../schema/api-key.entity';
import { StoredApiKey } from './stored-api-key';

/** Whose keys a call is about: one tenant's, or the platform's. */
export type ApiKeyOwner = { scope: 'tenant'; tenantId: string } | { scope: 'platform' };

type RevocationListener = (publicId: string) => void;

/** Creates, lists and revokes API keys, and finds the one a request presents. */
@Injectable()
export class ApiKeysService {
  private readonly revocationListeners: RevocationListener[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly memberships: MembershipDirectory,
  ) {}

  /** A tenant key, refused (403, naming each) if it would grant a permission its creator does not hold. */
  async createTenantKey(tenantId: string, creatorUserId: string, dto: CreateTenantApiKeyDto): Promise<CreatedApiKeyDto> {
    const creator = await this.memberships.activeAccessOf(creatorUserId, tenantId);
    const notHeld = dto.permissions.filter((permission) => !creator?.permissions.includes(permission));
    if (notHeld.length > 0) {
      throw new ForbiddenException({
        message: `You cannot grant permissions you do not hold: ${notHeld.join(', ')}`,
        details: [{ field: 'permissions', problems: notHeld.map((permission) => `${permission} is not granted to you`) }],
      });
    }
    const permissions = allTenantPermissions().filter((permission) => dto.permissions.includes(permission));
    return this.create({ scope: 'tenant', tenantId }, creatorUserId, dto, permissions);
  }

  /** A platform key: it acts as a platform admin, except on routes that refuse API keys. */
  createPlatformKey(creatorUserId: string, dto: CreatePlatformApiKeyDto): Promise<CreatedApiKeyDto> {
    return this.create({ scope: 'platform' }, creatorUserId, dto, []);
  }

  /** Newest first, revoked and expired keys included (they say so). */
  async list(owner: ApiKeyOwner): Promise<ApiKeyDto[]> {
    const keys = await this.dataSource.getRepository(ApiKey).find({ where: ownedBy(owner), order: { createdAt: 'DESC', id: 'DESC' } });
    return keys.map((key) => toDto(key));
  }

  /** Revoking a revoked key changes nothing and answers the same. */
  async revoke(owner: ApiKeyOwner, id: string, byUserId: string): Promise<void> {
    const publicId = await this.dataSource.transaction(async (manager) => {
      const key = await manager.findOne(ApiKey, { where: { id, ...ownedBy(owner) }, lock: { mode: 'pessimistic_write' } });
      if (!key) throw new NotFoundException('API key not found');
      if (key.revokedAt) return key.publicId;
      await manager.update(ApiKey, { id }, { revokedAt: () => 'now()', revokedByUserId: byUserId });
      // Every process refuses the key at once (its cache of keys would otherwise hold it a few seconds).
      await recordSessionRevocation(manager, { sessionId: id });
      await this.audit.record(manager, {
        action: 'api_key.revoke',
        targetType: 'api_key',
        targetId: id,
        tenantId: key.tenantId,
        changes: { name: key.name, prefix: displayPrefix(key) },
      });
      return key.publicId;
    });
    for (const listener of this.revocationListeners) listener(publicId);
  }

  /** Told right after a key is revoked, so this process's caches drop it at once. */
  onRevoked(listener: RevocationListener): void {
    this.revocationListeners.push(listener);
  }

  findByPublicId(publicId: string): Promise<StoredApiKey | null> {
    return this.dataSource.getRepository(ApiKey).findOne({ where: { publicId } });
  }

  /** Records a use; skips the write when another process recorded one within the last minute. */
  async recordUse(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      [id],
    );
  }

  private async create(
    owner: ApiKeyOwner,
    creatorUserId: string,
    dto: CreatePlatformApiKeyDto,
    permissions: string[],
  ): Promise<CreatedApiKeyDto> {
    const expiresAt = dto.expiresAt ? new Date(dto.expiresAt) : null;
    if (expiresAt && expiresAt.getTime() <= Date.now()) {
      throw new BadRequestException({
        message: 'expiresAt must be in the future',
        details: [{ field: 'expiresAt', problems: ['must be in the future'] }],
      });
    }
    const minted = mintApiKey(owner.scope);
    return this.dataSource.transaction(async (manager) => {
      const key = await manager.save(
        manager.create(ApiKey, {
          publicId: minted.publicId,
          scope: owner.scope,
          tenantId: owner.scope === 'tenant' ? owner.tenantId : null,
          name: dto.name,
          secretHash: minted.hash,
          lastChars: minted.lastChars,
          permissions,
          createdByUserId: creatorUserId,
          expiresAt,
        }),
      );
      await this.audit.record(manager, {
        action: 'api_key.create',
        targetType: 'api_key',
        targetId: key.id,
        tenantId: key.tenantId,
        changes: { name: key.name, prefix: minted.displayPrefix, permissions, expiresAt },
      });
      return { ...toDto(key), key: minted.key };
    });
  }
}

function ownedBy(owner: ApiKeyOwner) {
  return owner.scope === 'tenant' ? { scope: owner.scope, tenantId: owner.tenantId } : { scope: owner.scope, tenantId: IsNull() };
}

function displayPrefix(key: ApiKey): string {
  return `${API_KEY_PREFIXES[key.scope]}_${key.publicId}`;
}

function toDto(key: ApiKey): ApiKeyDto {
  return {
    id: key.id,
    name: key.name,
    prefix: displayPrefix(key),
    lastChars: key.lastChars,
    permissions: key.permissions,
    createdByUserId: key.createdByUserId,
    createdAt: key.createdAt,
    expiresAt: key.expiresAt,
    lastUsedAt: key.lastUsedAt,
    revokedAt: key.revokedAt,
  };
}
