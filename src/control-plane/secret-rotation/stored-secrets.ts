import { totpSecretScope } from '../users/totp-secret-scope';
import { dataSourceSecretScope, stagedDataSourceSecretScope } from '../data-sources/data-source-secrets';
import { databaseServerSecretScope } from '../database-servers/database-servers.service';
import { poolSecretScope } from '../tenant-pools/tenant-pools.service';
import { tenantSecretScope } from '../schema/tenant-secrets';
import { previousWebhookSecretScope, webhookSecretScope } from '../webhooks/webhook-signing';

/** A control-plane column holding SecretCipher envelopes, each bound to its row's id by `scope`. */
export interface StoredSecretColumn {
  table: string;
  /** The row's id column, which the scope binds the secret to. */
  idColumn: string;
  column: string;
  scope: (id: string) => string;
}

/** Every credential stored encrypted; key rotation re-encrypts exactly these. A new one belongs here. */
export const STORED_SECRET_COLUMNS: readonly StoredSecretColumn[] = [
  { table: 'database_servers', idColumn: 'id', column: 'admin_password_encrypted', scope: databaseServerSecretScope },
  { table: 'tenant_pools', idColumn: 'id', column: 'app_password_encrypted', scope: poolSecretScope },
  { table: 'tenants', idColumn: 'id', column: 'database_password_encrypted', scope: tenantSecretScope },
  { table: 'tenant_data_sources', idColumn: 'tenant_id', column: 'settings_encrypted', scope: dataSourceSecretScope },
  { table: 'tenant_staged_data_sources', idColumn: 'tenant_id', column: 'settings_encrypted', scope: stagedDataSourceSecretScope },
  { table: 'user_totp', idColumn: 'user_id', column: 'secret_encrypted', scope: totpSecretScope },
  { table: 'webhook_endpoints', idColumn: 'id', column: 'secret_encrypted', scope: webhookSecretScope },
  { table: 'webhook_endpoints', idColumn: 'id', column: 'previous_secret_encrypted', scope: previousWebhookSecretScope },
];
