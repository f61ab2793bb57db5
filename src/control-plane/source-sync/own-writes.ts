import { EntityManager } from 'typeorm';
import { DetectedChange, MappedRecord } from '../../../libs/byod';
import { apiFieldName } from '../../platform/tenant-modules/api-field-name';
import { mappableEntities } from '../../platform/tenant-modules/mappable-entities';

/** A write through the API as SourceDataAudit recorded it: created values, or each changed field's `{ to }`, in API field names. */
export interface AuditedWrite {
  key: string;
  action: 'data.create' | 'data.update' | 'data.delete';
  changes: Record<string, unknown> | null;
}

/** What Tenantry's own API wrote to one record of a tenant's source, folded in order: the values it left there. */
interface WrittenRecord {
  deleted: boolean;
  /** API field name → the value the customer's system confirmed. */
  values: Record<string, unknown>;
}

/**
 * Writes made through the API to a byod source (audited as `data.create|update|delete`, see
 * SourceDataAudit) already raised their events when they were made. A sync run that finds them
 * must not announce them a second time, yet must still announce what the customer's system changed
 * besides: a change is Tenantry's own only as far as each changed field now holds the value the API
 * wrote. Fields the customer's system keeps itself (the mapping's read-only fields, such as
 * `updated_at`) are not compared: its defaults and triggers move them on every write.
 */
export class OwnWrites {
  private constructor(
    private readonly written: Map<string, WrittenRecord>,
    private readonly keptBySource: ReadonlySet<string>,
  ) {}

  /** The API's writes to `keys` of `entity` since `since` (the start of the last run that fingerprinted the rows). */
  static async since(manager: EntityManager, tenantId: string, entity: string, keys: string[], since: Date): Promise<OwnWrites> {
    const entries =
      keys.length === 0
        ? []
        : await manager.query<AuditedWrite[]>(
            `SELECT target_id AS key, action, changes FROM audit_log
              WHERE tenant_id = $1 AND target_type = $2 AND target_id = ANY($3::text[])
                AND action IN ('data.create', 'data.update', 'data.delete') AND occurred_at >= $4
              ORDER BY id`,
            [tenantId, entity, keys, since],
          );
    const definitions = mappableEntities()[entity] ?? {};
    return OwnWrites.of(
      entries,
      Object.keys(definitions).filter((field) => definitions[field].readOnly),
    );
  }

  /** Folds audited writes, oldest first; `keptBySource` are the fields the customer's system sets itself. */
  static of(entries: readonly AuditedWrite[], keptBySource: readonly string[]): OwnWrites {
    const written = new Map<string, WrittenRecord>();
    for (const entry of entries) {
      const record = written.get(entry.key) ?? { deleted: false, values: {} };
      if (entry.action === 'data.delete') record.deleted = true;
      else if (entry.action === 'data.create') record.values = { ...(entry.changes ?? {}) };
      else
        for (const [field, change] of Object.entries(entry.changes ?? {})) record.values[field] = (change as { to?: unknown } | null)?.to;
      written.set(entry.key, record);
    }
    return new OwnWrites(written, new Set(keptBySource));
  }

  deleted(key: string): boolean {
    return this.written.get(key)?.deleted === true;
  }

  /**
   * The change less what the API wrote: null when nothing is left to announce; for an update, the
   * changed fields the API did not write (a create is announced whole unless every value is the API's).
   */
  remainder(change: DetectedChange): DetectedChange | null {
    const written = this.written.get(change.key);
    if (!written || written.deleted) return change;
    const notWritten = (field: string) => {
      const name = apiFieldName(field);
      return (
        !this.keptBySource.has(field) && !(Object.hasOwn(written.values, name) && sameValue(written.values[name], change.record[field]))
      );
    };
    if (change.kind === 'created') return Object.keys(change.record).some(notWritten) ? change : null;
    const changedFields = change.changedFields.filter(notWritten);
    return changedFields.length === 0 ? null : { ...change, changedFields };
  }
}

function sameValue(written: unknown, current: MappedRecord[string]): boolean {
  return canonical(written) === canonical(JSON.parse(JSON.stringify(current ?? null)));
}

/** JSON with object keys in order: the audit log's jsonb does not keep the order a record had. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}
