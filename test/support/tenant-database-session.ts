import { Client } from 'pg';
import { MIGRATION_LOCK_KEY } from '../../libs/tenancy/tenant-schema-migrator';
import { TestApp } from './test-app';

/** A superuser session on a dedicated tenant's own database. */
export async function connectToDatabaseOf(t: TestApp, tenantId: string): Promise<Client> {
  const [{ database_name: database }] = await t.sql('SELECT database_name FROM tenants WHERE id = $1', [tenantId]);
  const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}

/** Holds a tenant database's migration lock from a session of its own, as a killed run's session would. */
export async function lockMigrationOf(t: TestApp, tenantId: string): Promise<Client> {
  const holder = await connectToDatabaseOf(t, tenantId);
  await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
  return holder;
}

/** A superuser session on the database holding a tenant's rows: its own (dedicated) or its pool's (pooled). */
export async function connectToTenantRowsOf(t: TestApp, tenantId: string): Promise<Client> {
  const [{ database }] = await t.sql(
    `SELECT coalesce(tenant.database_name, pool.database_name) AS database
       FROM tenants tenant LEFT JOIN tenant_pools pool ON pool.id = tenant.tenant_pool_id WHERE tenant.id = $1`,
    [tenantId],
  );
  const url = new URL(process.env.TENANTRY_TEST_ADMIN_URL!);
  url.pathname = `/${database}`;
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return client;
}
