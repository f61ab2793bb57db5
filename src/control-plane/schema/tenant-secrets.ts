/** Binds each dedicated tenant's encrypted database password to its tenant row. */
export function tenantSecretScope(tenantId: string): string {
  return `tenant:${tenantId}`;
}
