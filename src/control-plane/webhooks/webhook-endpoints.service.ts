import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { SecretCipher } from '../../../libs/secrets';
import { AppConfig } from '../../platform/config/app-config';
import { AuditService } from '../audit/audit.service';
import { EventTypeRegistry } from '../domain-events/event-type-registry';
import {
  CreatedWebhookEndpointDto,
  CreateWebhookEndpointDto,
  RotatedWebhookSecretDto,
  UpdateWebhookEndpointDto,
  WebhookEndpointDto,
} from './dto/webhook-endpoint.dto';
import { filtersMatchingNothing } from './event-type-filter';
import { newWebhookSecret, previousWebhookSecretScope, webhookSecretScope } from './webhook-signing';
import { ownedBy, WebhookOwner } from './webhook-owner';
import { assertDeliverableUrl } from './webhook-url-check';
import { endWaitingDeliveries } from './webhook-delivery-queue';

const DEFAULT_OVERLAP_HOURS = 24;

interface EndpointRow {
  id: string;
  url: string;
  event_types: string[];
  description: string;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  failing_since: Date | null;
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const ENDPOINT_COLUMNS =
  'e.id, e.url, e.event_types, e.description, e.enabled, e.disabled_reason, e.disabled_at, e.failing_since, e.previous_secret_expires_at, e.created_at, e.updated_at';

/** Webhook endpoints one owner (a tenant, or the platform) may have. */
export const MAX_ENDPOINTS_PER_OWNER = 50;

/** A tenant's or the platform's webhook endpoints: their URL, filters and signing secrets (encrypted, shown once). */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
    private readonly audit: AuditService,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly eventTypes: EventTypeRegistry,
  ) {}

  async create(owner: WebhookOwner, dto: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointDto> {
    this.checkFilters(owner, dto.eventTypes);
    await this.checkUrl(dto.url);
    const id = randomUUID();
    const secret = newWebhookSecret();
    const endpoint = await this.dataSource.transaction(async (manager) => {
      await this.assertRoomForOneMore(manager, owner);
      const [row] = await manager.query<EndpointRow[]>(
        `INSERT INTO webhook_endpoints AS e (id, tenant_id, url, event_types, description, enabled, disabled_at, secret_encrypted)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6 THEN NULL ELSE now() END, $7) RETURNING ${ENDPOINT_COLUMNS}`,
        [
          id,
          owner.tenantId,
          dto.url,
          dto.eventTypes,
          dto.description ?? '',
          dto.enabled ?? true,
          this.cipher.encrypt(secret, webhookSecretScope(id)),
        ],
      );
      await this.record(manager, owner, 'webhook_endpoint.create', id, { url: dto.url, eventTypes: dto.eventTypes, enabled: row.enabled });
      return row;
    });
    return { ...toDto(endpoint), secret };
  }

  async list(owner: WebhookOwner): Promise<WebhookEndpointDto[]> {
    const rows = await this.dataSource.query<EndpointRow[]>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints e WHERE ${ownedBy(1)} ORDER BY e.created_at DESC, e.id DESC`,
      [owner.tenantId],
    );
    return rows.map(toDto);
  }

  async get(owner: WebhookOwner, id: string): Promise<WebhookEndpointDto> {
    return toDto(await this.find(this.dataSource.manager, owner, id));
  }

  async update(owner: WebhookOwner, id: string, dto: UpdateWebhookEndpointDto): Promise<WebhookEndpointDto> {
    if (dto.eventTypes !== undefined) this.checkFilters(owner, dto.eventTypes);
    if (dto.url !== undefined) await this.checkUrl(dto.url);
    return this.dataSource.transaction(async (manager) => {
      await this.find(manager, owner, id, true);
      const [row] = await manager.query<EndpointRow[]>(
        // Wrapped in a SELECT so the driver returns the rows alone (an UPDATE's result also carries its count).
        `WITH changed AS (UPDATE webhook_endpoints e SET
           url = COALESCE($2, url), event_types = COALESCE($3, event_types), description = COALESCE($4, description),
           enabled = COALESCE($5, enabled),
           -- Enabling a disabled endpoint starts its failure clock afresh; saying an endpoint is what it already is
           -- changes neither that clock nor why it was disabled (the old values: SET reads the row as it was).
           failing_since = CASE WHEN $5 AND NOT enabled THEN NULL ELSE failing_since END,
           disabled_reason = CASE WHEN $5 <> enabled THEN NULL ELSE disabled_reason END,
           -- Disabling an endpoint already disabled keeps the moment it was first disabled.
           disabled_at = CASE WHEN $5 THEN NULL WHEN NOT $5 AND enabled THEN now() ELSE disabled_at END,
           updated_at = now()
         WHERE e.id = $1 RETURNING ${ENDPOINT_COLUMNS}) SELECT * FROM changed`,
        // A description sent as null clears it (PatchType); COALESCE keeps what is not sent.
        [id, dto.url ?? null, dto.eventTypes ?? null, dto.description === null ? '' : (dto.description ?? null), dto.enabled ?? null],
      );
      if (dto.enabled === false) await endWaitingDeliveries(manager, id);
      await this.record(manager, owner, 'webhook_endpoint.update', id, { ...dto });
      return toDto(row);
    });
  }

  /**
   * A new secret signs from now on; the current one keeps signing alongside it until the overlap
   * ends, so receivers can switch without missing a delivery. A rotation during an overlap drops
   * the oldest secret at once.
   */
  async rotateSecret(owner: WebhookOwner, id: string, requestedOverlapHours?: number | null): Promise<RotatedWebhookSecretDto> {
    // Not sent or sent as null: the default overlap, never none (which would break receivers at once).
    const overlapHours = requestedOverlapHours ?? DEFAULT_OVERLAP_HOURS;
    const secret = newWebhookSecret();
    return this.dataSource.transaction(async (manager) => {
      await this.find(manager, owner, id, true);
      const [{ secret_encrypted: current }] = await manager.query<Array<{ secret_encrypted: string }>>(
        'SELECT secret_encrypted FROM webhook_endpoints WHERE id = $1',
        [id],
      );
      const previous =
        overlapHours > 0 ? this.cipher.encrypt(this.cipher.decrypt(current, webhookSecretScope(id)), previousWebhookSecretScope(id)) : null;
      const [row] = await manager.query<Array<{ previous_secret_expires_at: Date | null }>>(
        `WITH rotated AS (UPDATE webhook_endpoints SET secret_encrypted = $2, previous_secret_encrypted = $3,
           previous_secret_expires_at = CASE WHEN $3::text IS NULL THEN NULL ELSE now() + make_interval(hours => $4) END, updated_at = now()
         WHERE id = $1 RETURNING previous_secret_expires_at) SELECT * FROM rotated`,
        [id, this.cipher.encrypt(secret, webhookSecretScope(id)), previous, overlapHours],
      );
      await this.record(manager, owner, 'webhook_endpoint.rotate_secret', id, { overlapHours });
      return { secret, previousSecretExpiresAt: row.previous_secret_expires_at };
    });
  }

  /** Its deliveries and their log go with it. */
  async remove(owner: WebhookOwner, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const endpoint = await this.find(manager, owner, id, true);
      await manager.query('DELETE FROM webhook_endpoints WHERE id = $1', [id]);
      await this.record(manager, owner, 'webhook_endpoint.delete', id, { url: endpoint.url });
    });
  }

  /** The owner's endpoint, else 404 (another owner's endpoint answers exactly like one that does not exist). */
  async find(manager: EntityManager, owner: WebhookOwner, id: string, lock = false): Promise<EndpointRow> {
    const [row] = await manager.query<EndpointRow[]>(
      `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints e WHERE e.id = $1 AND ${ownedBy(2)}${lock ? ' FOR UPDATE' : ''}`,
      [id, owner.tenantId],
    );
    if (!row) throw new NotFoundException('Webhook endpoint not found');
    return row;
  }

  /**
   * Every event goes to each of its owner's endpoints whose filters match: the endpoints an owner may have are bounded, so
   * one tenant cannot turn each change into thousands of deliveries. Creations of one owner take turns (a lock held to
   * the end of the transaction), so two at once cannot both take the last place.
   */
  private async assertRoomForOneMore(manager: EntityManager, owner: WebhookOwner): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('webhook_endpoints'), hashtext(COALESCE($1::text, 'platform')))`, [
      owner.tenantId,
    ]);
    const [{ count }] = await manager.query<Array<{ count: number }>>(
      `SELECT count(*)::int AS count FROM webhook_endpoints e WHERE ${ownedBy(1)}`,
      [owner.tenantId],
    );
    if (count >= MAX_ENDPOINTS_PER_OWNER) {
      throw new ConflictException(
        `At most ${MAX_ENDPOINTS_PER_OWNER} webhook endpoints per ${owner.tenantId === null ? 'platform' : 'tenant'}: delete one first`,
      );
    }
  }

  /** The owner's endpoint, which must be enabled to be sent to (a test or a replay): else 409, and nothing is queued. */
  async findEnabled(manager: EntityManager, owner: WebhookOwner, id: string): Promise<EndpointRow> {
    const endpoint = await this.find(manager, owner, id);
    if (!endpoint.enabled) {
      throw new ConflictException('The webhook endpoint is disabled: enable it (PATCH {"enabled": true}) before sending to it');
    }
    return endpoint;
  }

  /**
   * A filter matching no event type this owner's endpoints receive is a mistake the owner would only notice by the
   * silence: refused (400 naming it). A tenant's endpoints never receive the platform's own events (`tenant.*`).
   */
  private checkFilters(owner: WebhookOwner, filters: readonly string[]): void {
    const unknown = filtersMatchingNothing(filters, this.eventTypes.typesFor(owner.tenantId === null ? 'platform' : 'tenant'));
    if (unknown.length === 0) return;
    const catalog = owner.tenantId === null ? 'the platform’s tenant.* and user.* types' : 'GET /api/domain-events/catalog';
    const problems = unknown.map((filter) => `${filter} matches no event type this endpoint receives (see ${catalog})`);
    throw new BadRequestException({ message: `Unknown event types: ${unknown.join(', ')}`, details: [{ field: 'eventTypes', problems }] });
  }

  private checkUrl(url: string): Promise<void> {
    const { allowPrivateNetworks } = this.config.get('webhooks', { infer: true });
    return assertDeliverableUrl(url, { allowPrivateNetworks, requireHttps: this.config.get('nodeEnv', { infer: true }) === 'production' });
  }

  private record(manager: EntityManager, owner: WebhookOwner, action: string, id: string, changes: Record<string, unknown>): Promise<void> {
    return this.audit.record(manager, { action, targetType: 'webhook_endpoint', targetId: id, tenantId: owner.tenantId, changes });
  }
}

function toDto(row: EndpointRow): WebhookEndpointDto {
  return {
    id: row.id,
    url: row.url,
    eventTypes: row.event_types,
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at,
    failingSince: row.failing_since,
    previousSecretExpiresAt: row.previous_secret_expires_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
