/** Whose endpoints a call is about: one tenant's (`tenantId`), or the platform's (`tenantId: null`). */
export interface WebhookOwner {
  tenantId: string | null;
}

/** The SQL condition (on alias `e`) selecting the owner's endpoints, with the owner's tenant as parameter `$index`. */
export function ownedBy(index: number): string {
  return `e.tenant_id IS NOT DISTINCT FROM $${index}::uuid`;
}
