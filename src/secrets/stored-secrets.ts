import { databaseServerSecretScope } from '../control-plane/database-servers/database-servers.service';
import { poolSecretScope } from '../control-plane/tenant-pools/tenant-pools.service';
import { tenantSecretScope } from '../control-plane/tenants/tenant-secrets';

/** A control-plane column holding SecretCipher envelopes, each bound to its row's id by `scope`. */
export interface StoredSecretColumn {
  table: string;
  column: string;
  scope: (id: string) => string;
}

/** Every credential stored encrypted; key rotation re-encrypts exactly these. A new one belongs here. */
export const STORED_SECRET_COLUMNS: readonly StoredSecretColumn[] = [
  { table: 'database_servers', column: 'admin_password_encrypted', scope: databaseServerSecretScope },
  { table: 'tenant_pools', column: 'app_password_encrypted', scope: poolSecretScope },
  { table: 'tenants', column: 'database_password_encrypted', scope: tenantSecretScope },
];
