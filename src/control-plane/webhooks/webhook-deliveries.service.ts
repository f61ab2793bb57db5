import { BadRequestException, ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { cursorFields, decodeCursor, encodeCursor } from '../../../libs/tenancy/records/cursor-codec';
import { Page } from '../../platform/pagination/cursor-pagination';
import { AuditService } from '../audit/audit.service';
import { DeliveryQueryDto, WebhookDeliveryDetailDto, WebhookDeliveryDto } from './dto/webhook-delivery.dto';
import { filtersAsSql, TEST_EVENT_TYPE } from './event-type-filter';
import { WebhookDeliveryQueue } from './webhook-delivery-queue';
import { WebhookEndpointsService } from './webhook-endpoints.service';
import { WebhookOwner } from './webhook-owner';

/** Most events one range replay re-delivers; a wider range is refused (replay it in parts). */
export const MAX_REPLAYED_EVENTS = 10_000;

interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  status: WebhookDeliveryDto['status'];
  attempts: number;
  next_attempt_at: Date;
  replay_of: string | null;
  created_at: Date;
  finished_at: Date | null;
  payload?: Record<string, unknown>;
}

const DELIVERY_COLUMNS =
  'd.id, d.event_id, d.event_type, d.status, d.attempts, d.next_attempt_at, d.replay_of, d.created_at, d.finished_at';

/** An endpoint's delivery log (every attempt), replays, and test-sends. */
@Injectable()
export class WebhookDeliveriesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly endpoints: WebhookEndpointsService,
    private readonly queue: WebhookDeliveryQueue,
    private readonly audit: AuditService,
  ) {}

  /** Newest first. */
  async list(owner: WebhookOwner, endpointId: string, query: DeliveryQueryDto): Promise<Page<WebhookDeliveryDto>> {
    await this.endpoints.find(this.dataSource.manager, owner, endpointId);
    const conditions = ['d.endpoint_id = $1'];
    const values: unknown[] = [endpointId];
    const add = (condition: (index: number) => string, ...params: unknown[]) => {
      conditions.push(condition(values.length + 1));
      values.push(...params);
    };
    if (query.status) add((i) => `d.status = $${i}`, query.status);
    if (query.eventType) add((i) => `d.event_type = $${i}`, query.eventType);
    if (query.cursor) {
      const [createdAt, id] = decodeCursor(query.cursor, [cursorFields.timestamp, cursorFields.uuid]);
      add((i) => `(d.created_at, d.id) < ($${i}::timestamptz, $${i + 1}::uuid)`, createdAt, id);
    }
    values.push(query.limit + 1);
    const rows = await this.dataSource.query<DeliveryRow[]>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries d WHERE ${conditions.join(' AND ')}
        ORDER BY d.created_at DESC, d.id DESC LIMIT $${values.length}`,
      values,
    );
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toDto),
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
    };
  }

  async get(owner: WebhookOwner, endpointId: string, deliveryId: string): Promise<WebhookDeliveryDetailDto> {
    const delivery = await this.find(this.dataSource.manager, owner, endpointId, deliveryId);
    const attempts = await this.dataSource.query<
      Array<{
        attempt: number;
        started_at: Date;
        duration_ms: number;
        status_code: number | null;
        response_excerpt: string | null;
        error: string | null;
      }>
    >(
      `SELECT attempt, started_at, duration_ms, status_code, response_excerpt, error FROM webhook_delivery_attempts
        WHERE delivery_id = $1 ORDER BY id`,
      [deliveryId],
    );
    return {
      ...toDto(delivery),
      payload: delivery.payload!,
      attemptLog: attempts.map((attempt) => ({
        attempt: attempt.attempt,
        startedAt: attempt.started_at,
        durationMs: attempt.duration_ms,
        statusCode: attempt.status_code,
        responseExcerpt: attempt.response_excerpt,
        error: attempt.error,
      })),
    };
  }

  /** A new delivery of the same event (same `webhook-id`), whatever became of the first. */
  async replay(owner: WebhookOwner, endpointId: string, deliveryId: string): Promise<WebhookDeliveryDto> {
    const created = await this.dataSource.transaction(async (manager) => {
      await this.endpoints.findEnabled(manager, owner, endpointId);
      const original = await this.find(manager, owner, endpointId, deliveryId);
      const [id] = await this.queue.create(manager, [
        {
          endpointId,
          eventId: original.event_id,
          eventType: original.event_type,
          payload: original.payload as never,
          replayOf: original.id,
        },
      ]);
      await this.record(manager, owner, 'webhook_delivery.replay', endpointId, { deliveryId });
      return this.find(manager, owner, endpointId, id);
    });
    this.queue.wake(1);
    return toDto(created);
  }

  /**
   * Re-delivers, with their original ids, the events recorded in [since, until) that the
   * endpoint's filters match now (its tenant's events for a tenant endpoint).
   */
  async replayRange(owner: WebhookOwner, endpointId: string, since: Date, until: Date): Promise<number> {
    if (until <= since) {
      throw new BadRequestException({
        message: 'until must be after since',
        details: [{ field: 'until', problems: ['must be after since'] }],
      });
    }
    const replayed = await this.dataSource.transaction(async (manager) => {
      const endpoint = await this.endpoints.findEnabled(manager, owner, endpointId);
      const { exact, prefixes } = filtersAsSql(endpoint.event_types);
      const matching = await manager.query<Array<{ id: string; type: string; occurred_at: Date; data: unknown }>>(
        `SELECT id, type, occurred_at, data FROM domain_events
          WHERE recorded_at >= $1 AND recorded_at < $2 AND ($3::uuid IS NULL OR tenant_id = $3)
            AND (type = ANY($4::text[]) OR EXISTS (SELECT 1 FROM unnest($5::text[]) AS prefix WHERE starts_with(type, prefix)))
          ORDER BY seq LIMIT $6`,
        [since, until, owner.tenantId, exact, prefixes, MAX_REPLAYED_EVENTS + 1],
      );
      if (matching.length > MAX_REPLAYED_EVENTS) {
        throw new UnprocessableEntityException(
          `The range holds more than ${MAX_REPLAYED_EVENTS} events for this endpoint: replay it in parts`,
        );
      }
      await this.assertRoomToReplay(manager, endpointId, matching.length);
      await this.queue.create(
        manager,
        matching.map((event) => ({
          endpointId,
          eventId: event.id,
          eventType: event.type,
          payload: { type: event.type, timestamp: event.occurred_at.toISOString(), data: event.data },
        })),
      );
      await this.record(manager, owner, 'webhook_endpoint.replay', endpointId, { since, until, replayed: matching.length });
      return matching.length;
    });
    this.queue.wake(replayed);
    return replayed;
  }

  /**
   * An endpoint's waiting deliveries stay under MAX_REPLAYED_EVENTS with a replay's: replays repeated faster than the
   * receiver takes them would otherwise grow the queue without bound (409, to replay once they have been made).
   * Replays of one endpoint take turns (a lock held to the end of the transaction), so two at once cannot both fit.
   */
  private async assertRoomToReplay(manager: EntityManager, endpointId: string, replaying: number): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('webhook_replays'), hashtext($1::text))`, [endpointId]);
    const [{ waiting }] = await manager.query<Array<{ waiting: number }>>(
      `SELECT count(*)::int AS waiting FROM (
         SELECT 1 FROM webhook_deliveries WHERE endpoint_id = $1 AND status = 'pending' LIMIT $2
       ) AS pending`,
      [endpointId, MAX_REPLAYED_EVENTS + 1],
    );
    if (waiting + replaying > MAX_REPLAYED_EVENTS) {
      throw new ConflictException(
        `${waiting} deliveries to this endpoint are still waiting; with ${replaying} more it would hold over ${MAX_REPLAYED_EVENTS}: ` +
          'replay again once they have been made',
      );
    }
  }

  /** Delivers a `webhook.test` event (a fresh id each time) through the same path as real events. */
  async testSend(owner: WebhookOwner, endpointId: string): Promise<WebhookDeliveryDto> {
    const created = await this.dataSource.transaction(async (manager) => {
      await this.endpoints.findEnabled(manager, owner, endpointId);
      const [id] = await this.queue.create(manager, [
        {
          endpointId,
          eventId: randomUUID(),
          eventType: TEST_EVENT_TYPE,
          payload: { type: TEST_EVENT_TYPE, timestamp: new Date().toISOString(), data: { endpointId } },
        },
      ]);
      await this.record(manager, owner, 'webhook_endpoint.test', endpointId, { deliveryId: id });
      return this.find(manager, owner, endpointId, id);
    });
    this.queue.wake(1);
    return toDto(created);
  }

  private async find(manager: EntityManager, owner: WebhookOwner, endpointId: string, deliveryId: string): Promise<DeliveryRow> {
    await this.endpoints.find(manager, owner, endpointId);
    const [row] = await manager.query<DeliveryRow[]>(
      `SELECT ${DELIVERY_COLUMNS}, d.payload FROM webhook_deliveries d WHERE d.id = $1 AND d.endpoint_id = $2`,
      [deliveryId, endpointId],
    );
    if (!row) throw new NotFoundException('Webhook delivery not found');
    return row;
  }

  private record(manager: EntityManager, owner: WebhookOwner, action: string, endpointId: string, changes: Record<string, unknown>) {
    return this.audit.record(manager, { action, targetType: 'webhook_endpoint', targetId: endpointId, tenantId: owner.tenantId, changes });
  }
}

function toDto(row: DeliveryRow): WebhookDeliveryDto {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === 'pending' ? row.next_attempt_at : null,
    replayOf: row.replay_of,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}
