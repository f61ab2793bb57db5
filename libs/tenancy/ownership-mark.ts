/**
 * The proof that a database or role on a shared PostgreSQL server was created by one particular
 * control plane, for one particular owner: a COMMENT of the form
 * `tenantry:<control plane id>:<kind>:<owner id>`. Names prove nothing (anyone may create
 * `tenant_…` or `tenantry_pool_…`); the control plane id is a random uuid per control plane,
 * so two control planes sharing a server never mistake each other's objects for their own.
 */
export const OWNED_KINDS = ['tenant', 'pool', 'template'] as const;
export type OwnedKind = (typeof OWNED_KINDS)[number];

export interface OwnershipMark {
  controlPlaneId: string;
  kind: OwnedKind;
  /** The tenant's or pool's id; for a template, the tenant schema version it is built at. */
  ownerId: string;
}

/** What an object is for, as the caller who wants it sees it: the control plane id is added by the admin. */
export type Owner = Omit<OwnershipMark, 'controlPlaneId'>;

const PREFIX = 'tenantry';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function formatOwnershipMark(mark: OwnershipMark): string {
  if (!OWNED_KINDS.includes(mark.kind)) throw new Error(`Not an owned kind: ${mark.kind}`);
  if (mark.ownerId.length === 0) throw new Error('An ownership mark needs an owner id');
  return `${markPrefix(mark.controlPlaneId)}${mark.kind}:${mark.ownerId}`;
}

/** How every mark of one control plane begins, to find its objects on a server. */
export function markPrefix(controlPlaneId: string): string {
  if (!UUID.test(controlPlaneId)) throw new Error(`Not a control plane id: ${controlPlaneId}`);
  return `${PREFIX}:${controlPlaneId}:`;
}

/** The mark in a comment, or null for no comment or any comment that is not exactly a mark. */
export function parseOwnershipMark(comment: string | null | undefined): OwnershipMark | null {
  if (!comment) return null;
  const [prefix, controlPlaneId, kind, ...rest] = comment.split(':');
  const ownerId = rest.join(':');
  if (prefix !== PREFIX || !UUID.test(controlPlaneId ?? '') || !OWNED_KINDS.includes(kind as OwnedKind) || ownerId.length === 0)
    return null;
  return { controlPlaneId, kind: kind as OwnedKind, ownerId };
}

export function sameMark(found: OwnershipMark | null, expected: OwnershipMark): boolean {
  return (
    found !== null && found.controlPlaneId === expected.controlPlaneId && found.kind === expected.kind && found.ownerId === expected.ownerId
  );
}

/** A database or role exists under the wanted name but its mark does not prove it is the caller's. */
export class NotOwnedError extends Error {
  constructor(
    readonly objectType: 'database' | 'role',
    readonly objectName: string,
    found: OwnershipMark | null,
    expected: OwnershipMark,
  ) {
    super(NotOwnedError.explain(objectType, objectName, found, expected));
    this.name = 'NotOwnedError';
  }

  private static explain(objectType: string, objectName: string, found: OwnershipMark | null, expected: OwnershipMark): string {
    if (found === null || found.controlPlaneId !== expected.controlPlaneId) {
      return `${objectType} ${objectName} exists and was not created by this control plane; not touching it`;
    }
    return `${objectType} ${objectName} was created by this control plane for ${found.kind} ${found.ownerId}; not touching it`;
  }
}
