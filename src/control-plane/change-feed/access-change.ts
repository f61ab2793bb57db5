import { isUUID } from 'class-validator';

/** What the `control_plane_changes` trigger announces (migration ControlPlaneChangeFeed). */
export type AccessChange =
  | { kind: 'tenant'; tenantId: string }
  | { kind: 'membership'; userId: string; tenantId: string }
  | { kind: 'user'; userId: string }
  | { kind: 'roles'; tenantId: string };

const FIELDS: Record<AccessChange['kind'], readonly string[]> = {
  tenant: ['tenantId'],
  membership: ['userId', 'tenantId'],
  user: ['userId'],
  roles: ['tenantId'],
};

/**
 * A notification's payload as an AccessChange, or null when it is not one (malformed, or a kind a
 * newer release announces that this one does not know: its caches then rely on the TTL).
 */
export function parseAccessChange(payload: string): AccessChange | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const kind = record.kind;
  if (typeof kind !== 'string' || !Object.hasOwn(FIELDS, kind)) return null;
  const fields = FIELDS[kind as AccessChange['kind']];
  if (!fields.every((field) => typeof record[field] === 'string' && isUUID(record[field]))) return null;
  return Object.fromEntries([['kind', kind], ...fields.map((field) => [field, record[field]])]) as AccessChange;
}
