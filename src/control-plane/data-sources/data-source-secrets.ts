/** Binds a byod tenant's encrypted data-source settings to its tenant, so ciphertexts cannot be swapped between rows. */
export function dataSourceSecretScope(tenantId: string): string {
  return `tenant_data_source:${tenantId}`;
}
