import { EntityManager } from 'typeorm';
import { RowFingerprint } from '../../../libs/byod';

/** A row an earlier run saw that this run did not: deleted in the customer's system. */
export interface VanishedRow {
  key: string;
  fingerprint: string;
}

/**
 * What the sync runs of one tenant remember of its system, in the control plane (tables
 * source_sync_rows and source_sync_watermarks): each row's fingerprint (hashes only, never values),
 * the run that last saw it, and each entity's `updated_at` watermark. Every call runs in the
 * caller's (fenced) transaction, so it commits with the events it produced or not at all.
 */
export const SourceSyncState = {
  async fingerprints(manager: EntityManager, tenantId: string, entity: string, keys: string[]): Promise<Map<string, RowFingerprint>> {
    const rows = await manager.query<Array<{ source_key: string; fingerprint: string; field_hashes: Record<string, string> }>>(
      `SELECT source_key, fingerprint, field_hashes FROM source_sync_rows WHERE tenant_id = $1 AND entity = $2 AND source_key = ANY($3::text[])`,
      [tenantId, entity, keys],
    );
    return new Map(rows.map((row) => [row.source_key, { fingerprint: row.fingerprint, fields: row.field_hashes }]));
  },

  /** Stores the fingerprints of rows read in full, marking them seen by `runId`. */
  async keep(
    manager: EntityManager,
    tenantId: string,
    entity: string,
    runId: string,
    rows: ReadonlyArray<{ key: string; fingerprint: RowFingerprint }>,
  ): Promise<void> {
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO source_sync_rows (tenant_id, entity, source_key, fingerprint, field_hashes, seen_in_run)
       SELECT $1, $2, t.key, t.fingerprint, t.fields, $3 FROM unnest($4::text[], $5::text[], $6::jsonb[]) AS t (key, fingerprint, fields)
       ON CONFLICT (tenant_id, entity, source_key)
         DO UPDATE SET fingerprint = EXCLUDED.fingerprint, field_hashes = EXCLUDED.field_hashes, seen_in_run = EXCLUDED.seen_in_run`,
      [
        tenantId,
        entity,
        runId,
        rows.map((row) => row.key),
        rows.map((row) => row.fingerprint.fingerprint),
        rows.map((row) => JSON.stringify(row.fingerprint.fields)),
      ],
    );
  },

  /** Up to `limit` rows not seen by `runId`, removed from what is remembered. */
  async takeVanished(manager: EntityManager, tenantId: string, entity: string, runId: string, limit: number): Promise<VanishedRow[]> {
    return manager.query<VanishedRow[]>(
      `WITH vanished AS (
         SELECT source_key FROM source_sync_rows WHERE tenant_id = $1 AND entity = $2 AND seen_in_run <> $3
          ORDER BY source_key LIMIT $4 FOR UPDATE
       ), removed AS (
         DELETE FROM source_sync_rows r USING vanished v
          WHERE r.tenant_id = $1 AND r.entity = $2 AND r.source_key = v.source_key
          RETURNING r.source_key AS key, r.fingerprint
       )
       SELECT key, fingerprint FROM removed`,
      [tenantId, entity, runId, limit],
    );
  },

  async count(manager: EntityManager, tenantId: string, entity: string): Promise<number> {
    const [row] = await manager.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM source_sync_rows WHERE tenant_id = $1 AND entity = $2`,
      [tenantId, entity],
    );
    return row.n;
  },

  async watermark(manager: EntityManager, tenantId: string, entity: string): Promise<string | null> {
    const [row] = await manager.query<Array<{ watermark: string }>>(
      `SELECT watermark FROM source_sync_watermarks WHERE tenant_id = $1 AND entity = $2`,
      [tenantId, entity],
    );
    return row?.watermark ?? null;
  },

  async setWatermark(manager: EntityManager, tenantId: string, entity: string, watermark: string): Promise<void> {
    await manager.query(
      `INSERT INTO source_sync_watermarks (tenant_id, entity, watermark) VALUES ($1, $2, $3)
       ON CONFLICT (tenant_id, entity) DO UPDATE SET watermark = EXCLUDED.watermark`,
      [tenantId, entity, watermark],
    );
  },

  /** Forgets everything remembered of the tenant's system: its next run takes a new baseline. */
  async reset(manager: EntityManager, tenantId: string): Promise<void> {
    await manager.query(`DELETE FROM source_sync_rows WHERE tenant_id = $1`, [tenantId]);
    await manager.query(`DELETE FROM source_sync_watermarks WHERE tenant_id = $1`, [tenantId]);
  },
};
