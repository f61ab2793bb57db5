import { createHash } from 'node:crypto';
import { MappedRecord } from './mapped-collection';

/** What a row's mapped values hash to: the whole row, and each field on its own (to name what changed). */
export interface RowFingerprint {
  fingerprint: string;
  fields: Record<string, string>;
}

/** A row read from the source, with its key as text and its fingerprint. */
export interface FingerprintedRow {
  key: string;
  record: MappedRecord;
  fingerprint: RowFingerprint;
}

export type ChangeKind = 'created' | 'updated';

export interface DetectedChange extends FingerprintedRow {
  kind: ChangeKind;
  /** For an update, the fields whose values differ from the earlier run's. */
  changedFields: string[];
}

/**
 * The fingerprint of a record's mapped values. Values are hashed as JSON, so `1` and `"1"` differ;
 * fields are taken in name order, so the mapping's order of columns does not matter. Only hashes are
 * kept, never the customer's values.
 */
export function rowFingerprint(record: MappedRecord): RowFingerprint {
  const names = Object.keys(record).sort();
  const fields: Record<string, string> = {};
  for (const name of names) fields[name] = digest(JSON.stringify(record[name] ?? null)).slice(0, 16);
  return { fingerprint: digest(names.map((name) => `${name}=${fields[name]}`).join('\n')), fields };
}

/** Compares one page of rows with what an earlier run fingerprinted: new keys are created, different fingerprints updated. */
export function detectChanges(rows: readonly FingerprintedRow[], earlier: ReadonlyMap<string, RowFingerprint>): DetectedChange[] {
  const changes: DetectedChange[] = [];
  for (const { key, record, fingerprint } of rows) {
    const before = earlier.get(key);
    if (!before) changes.push({ key, kind: 'created', record, fingerprint, changedFields: [] });
    else if (before.fingerprint !== fingerprint.fingerprint) {
      const names = new Set([...Object.keys(before.fields), ...Object.keys(fingerprint.fields)]);
      const changedFields = [...names].filter((name) => before.fields[name] !== fingerprint.fields[name]).sort();
      changes.push({ key, kind: 'updated', record, fingerprint, changedFields });
    }
  }
  return changes;
}

const SOURCE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2}):(\d{2})(\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * A source's timestamp (as earlierSourceTime reads it) as milliseconds since 1970, a value without a zone taken as
 * UTC; undefined for a value that is no timestamp. For ordering the values of one source, not for telling the time.
 */
export function sourceTimeMillis(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  const match = SOURCE_TIME.exec(value.trim());
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const local = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second, Math.trunc(Number(`0${fraction || '.0'}`) * 1000));
  if (!zone || zone === 'Z') return local;
  const [, sign, zoneHours, zoneMinutes = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone)!;
  return local - (sign === '-' ? -1 : 1) * (+zoneHours * 60 + +zoneMinutes) * 60_000;
}

/**
 * A source's timestamp (as its driver gives it: `YYYY-MM-DD HH:MM:SS[.fff][zone]`, a date, or a
 * Date) moved `ms` earlier, written the same way (same zone suffix, so the source compares it as it
 * compares its own values). This is the overlap a watermark is read from, so a row whose
 * `updated_at` was set by a clock slightly behind (or committed late) is still read. Null for a
 * value that is no timestamp: the caller then reads from the start.
 */
export function earlierSourceTime(value: unknown, ms: number): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : new Date(value.getTime() - ms).toISOString();
  if (typeof value !== 'string') return null;
  const match = SOURCE_TIME.exec(value.trim());
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction, zone] = match;
  if (hour === undefined) {
    // A date column: one day earlier at least, whole days only.
    const shifted = new Date(Date.UTC(+year, +month - 1, +day) - Math.max(1, Math.ceil(ms / 86_400_000)) * 86_400_000);
    return shifted.toISOString().slice(0, 10);
  }
  const millis = Date.UTC(+year, +month - 1, +day, +hour, +minute, +second) - ms;
  const shifted = new Date(millis).toISOString();
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 19)}${fraction ? fraction.replace(/./g, (char) => (char === '.' ? '.' : '0')) : ''}${zone ?? ''}`;
}

/**
 * A name-based UUID (RFC 9562 version 5, SHA-1) of `name` in `namespace`: the same name always gives
 * the same id, which is what makes re-detecting a change record nothing new.
 */
export function nameBasedUuid(namespace: string, name: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = (hash[6] & 0x0f) | 0x50;
  hash[8] = (hash[8] & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
