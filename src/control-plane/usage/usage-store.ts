import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CursorField, cursorFields, decodeCursor, encodeCursor } from '../../../libs/tenancy/records/cursor-codec';
import { Page } from '../../platform/pagination/cursor-pagination';
import { WORKER_DATA_SOURCE } from '../database/control-plane-connection';
import { TenantUsageDay } from '../schema/tenant-usage-day.entity';
import { TenantMeasurement } from './tenant-measurement';
import { BufferedUsage } from './usage-buffer';
import { USAGE_MEASURES, UsageMeasure } from './usage-measures';

/** A measure's value as a fleet cursor carries it: a whole number, as text (bigint). */
const measureValue: CursorField<string> = (value): value is string => typeof value === 'string' && /^[0-9]{1,19}$/.test(value);

/** One tenant's usage on one day, with the tenant it is about (the fleet view). */
export interface FleetUsageRow extends TenantUsageDay {
  slug: string;
  placement: string;
}

export interface FleetUsageQuery {
  day: string;
  sort: UsageMeasure;
  order: 'asc' | 'desc';
  limit: number;
  cursor?: string;
}

/**
 * The usage tables of the control plane. Flushes and measurements are background work, so they
 * go through the job workers' connections and never take those requests need.
 */
@Injectable()
export class UsageStore {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectDataSource(WORKER_DATA_SOURCE) private readonly background: DataSource,
  ) {}

  /**
   * Adds a flush's counts in one transaction: each statement adds to what other processes already
   * wrote, never overwrites it. Counts of a tenant that no longer exists are left out, so one such
   * tenant cannot keep a whole batch failing.
   */
  async addCounts(batch: readonly BufferedUsage[]): Promise<void> {
    const tenantIds = batch.map((usage) => usage.tenantId);
    const days = batch.map((usage) => usage.day);
    const users = batch.flatMap((usage) => [...usage.userIds].map((userId) => ({ tenantId: usage.tenantId, day: usage.day, userId })));
    await this.background.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO tenant_usage_days (tenant_id, day, api_calls, writes)
           SELECT u.tenant_id, u.day, u.api_calls, u.writes
             FROM unnest($1::uuid[], $2::date[], $3::bigint[], $4::bigint[]) AS u (tenant_id, day, api_calls, writes)
             JOIN tenants t ON t.id = u.tenant_id
           ON CONFLICT (tenant_id, day) DO UPDATE
             SET api_calls = tenant_usage_days.api_calls + EXCLUDED.api_calls, writes = tenant_usage_days.writes + EXCLUDED.writes`,
        [tenantIds, days, batch.map((usage) => usage.apiCalls), batch.map((usage) => usage.writes)],
      );
      if (users.length === 0) return;
      await manager.query(
        `INSERT INTO tenant_usage_users (tenant_id, day, user_id)
           SELECT u.tenant_id, u.day, u.user_id
             FROM unnest($1::uuid[], $2::date[], $3::uuid[]) AS u (tenant_id, day, user_id)
             JOIN tenant_usage_days d ON d.tenant_id = u.tenant_id AND d.day = u.day
           ON CONFLICT DO NOTHING`,
        [users.map((user) => user.tenantId), users.map((user) => user.day), users.map((user) => user.userId)],
      );
      await manager.query(
        `UPDATE tenant_usage_days d
            SET active_users = (SELECT count(*) FROM tenant_usage_users u WHERE u.tenant_id = d.tenant_id AND u.day = d.day)
          WHERE (d.tenant_id, d.day) IN (SELECT * FROM unnest($1::uuid[], $2::date[]))`,
        [tenantIds, days],
      );
    });
  }

  /** Writes the day's measurement; measuring again (a retried job, an on-demand run) replaces it. */
  async recordMeasurement(tenantId: string, day: string, measurement: TenantMeasurement): Promise<void> {
    const totalRows = Object.values(measurement.rowsByEntity).reduce((sum, rows) => sum + rows, 0);
    await this.background.query(
      `INSERT INTO tenant_usage_days (tenant_id, day, rows_by_entity, total_rows, storage_bytes, storage_note, measured_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())
       ON CONFLICT (tenant_id, day) DO UPDATE
         SET rows_by_entity = EXCLUDED.rows_by_entity, total_rows = EXCLUDED.total_rows, storage_bytes = EXCLUDED.storage_bytes,
             storage_note = EXCLUDED.storage_note, measured_at = EXCLUDED.measured_at`,
      [tenantId, day, JSON.stringify(measurement.rowsByEntity), totalRows, measurement.storageBytes, measurement.storageNote],
    );
  }

  /** The tenants a daily measurement covers. */
  async activeTenantIds(): Promise<string[]> {
    const rows: Array<{ id: string }> = await this.background.query(`SELECT id FROM tenants WHERE status = 'active' ORDER BY id`);
    return rows.map((row) => row.id);
  }

  /** A tenant's days from `from` to `to` (both included), oldest first. */
  days(tenantId: string, from: string, to: string): Promise<TenantUsageDay[]> {
    return this.dataSource
      .getRepository(TenantUsageDay)
      .createQueryBuilder('d')
      .where('d.tenantId = :tenantId AND d.day BETWEEN :from AND :to', { tenantId, from, to })
      .orderBy('d.day', 'ASC')
      .getMany();
  }

  /** Every tenant's usage on one day, sorted by one measure (ties by tenant id), a keyset page at a time. */
  async fleet(query: FleetUsageQuery): Promise<Page<FleetUsageRow>> {
    const measure = USAGE_MEASURES[query.sort];
    const direction = query.order === 'asc' ? 'ASC' : 'DESC';
    const values: unknown[] = [query.day, query.limit + 1];
    let after = '';
    if (query.cursor) {
      const [value, tenantId] = decodeCursor(query.cursor, [measureValue, cursorFields.uuid]);
      values.push(value, tenantId);
      after = `AND (${measure}, d.tenant_id) ${direction === 'ASC' ? '>' : '<'} ($3::bigint, $4::uuid)`;
    }
    const rows: Array<FleetUsageRow & { sortValue: string }> = await this.dataSource.query(
      `SELECT d.tenant_id AS "tenantId", to_char(d.day, 'YYYY-MM-DD') AS day, d.api_calls AS "apiCalls", d.writes,
              d.active_users AS "activeUsers", d.rows_by_entity AS "rowsByEntity", d.total_rows AS "totalRows",
              d.storage_bytes AS "storageBytes", d.storage_note AS "storageNote", d.measured_at AS "measuredAt",
              t.slug, t.placement, ${measure}::text AS "sortValue"
         FROM tenant_usage_days d JOIN tenants t ON t.id = d.tenant_id
        WHERE d.day = $1 ${after}
        ORDER BY ${measure} ${direction}, d.tenant_id ${direction}
        LIMIT $2`,
      values,
    );
    const items = rows.slice(0, query.limit);
    const last = items[items.length - 1];
    const nextCursor = rows.length > query.limit && last ? encodeCursor([last.sortValue, last.tenantId]) : null;
    return { items, nextCursor };
  }
}
