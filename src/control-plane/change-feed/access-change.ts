import { isUUID } from 'class-validator';
import { PLAN_NAME_PATTERN } from '../plans/plan-name';

/**
 * What the control-plane triggers announce on `control_plane_changes` (migrations
 * ControlPlaneChangeFeed and PlanQuotasAndChanges).
 */
export type AccessChange =
  | { kind: 'tenant'; tenantId: string }
  | { kind: 'membership'; userId: string; tenantId: string }
  | { kind: 'user'; userId: string }
  | { kind: 'roles'; tenantId: string }
  | { kind: 'plan'; plan: string }
  | { kind: 'measurement'; tenantId: string };

type FieldCheck = (value: string) => boolean;

const uuid: FieldCheck = (value) => isUUID(value);
const planName: FieldCheck = (value) => PLAN_NAME_PATTERN.test(value);

const FIELDS: Record<AccessChange['kind'], Record<string, FieldCheck>> = {
  tenant: { tenantId: uuid },
  membership: { userId: uuid, tenantId: uuid },
  user: { userId: uuid },
  roles: { tenantId: uuid },
  plan: { plan: planName },
  measurement: { tenantId: uuid },
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
  const fields = Object.entries(FIELDS[kind as AccessChange['kind']]);
  if (!fields.every(([field, check]) => typeof record[field] === 'string' && check(record[field]))) return null;
  return Object.fromEntries([['kind', kind], ...fields.map(([field]) => [field, record[field]])]) as AccessChange;
}
