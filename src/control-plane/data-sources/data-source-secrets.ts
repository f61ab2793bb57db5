/** Binds a byod tenant's encrypted data-source settings to its tenant, so ciphertexts cannot be swapped between rows. */
export function dataSourceSecretScope(tenantId: string): string {
  return `tenant_data_source:${tenantId}`;
}

/**
 * Staged settings have a scope of their own: untested settings copied into the serving row would
 * not decrypt there. Only the switch moves them over, re-encrypted under `dataSourceSecretScope`.
 */
export function stagedDataSourceSecretScope(tenantId: string): string {
  return `tenant_staged_data_source:${tenantId}`;
}
