import { createConnection } from 'mysql2/promise';
import { randomBytes } from 'node:crypto';
import { BenchPostgres, query } from './common/bench-postgres';
import { LoadResult, measureInRounds, parseArgs } from './common/load';
import { BENCH_ADMIN, call, TenantFixtures } from './common/tenant-fixtures';
import { startTenantry, TenantryProcess } from './common/tenantry-process';

/**
 * BYOD cost: GET /api/inventory/items (50 items, a price range, sorted by price) for a tenant
 * whose items live in its own MariaDB table under its own names (a mapping with a value map and
 * a decimal price) beside a dedicated tenant holding the same rows in Tenantry's schema.
 * Run: npm run bench:byod [-- --quick]   (MariaDB from BYOD_BENCH_MYSQL_URL, default root@127.0.0.1:3306)
 */
const MYSQL_URL = new URL(process.env.BYOD_BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test');

async function main(): Promise<void> {
  const { quick } = parseArgs(process.argv);
  const rows = quick ? 5_000 : 50_000;
  const settings = quick
    ? { durationSeconds: 5, connections: 20, warmupSeconds: 2 }
    : { durationSeconds: 10, connections: 20, warmupSeconds: 3 };
  const postgres = await BenchPostgres.start();
  const legacyDatabase = `byod_bench_${randomBytes(4).toString('hex')}`;
  const mysql = await createConnection({
    host: MYSQL_URL.hostname,
    port: Number(MYSQL_URL.port || 3306),
    user: decodeURIComponent(MYSQL_URL.username),
    password: decodeURIComponent(MYSQL_URL.password),
    multipleStatements: false,
  });
  let app: TenantryProcess | undefined;
  try {
    await seedLegacyTable(mysql, legacyDatabase, rows);
    app = await startTenantry({
      databaseUrl: postgres.controlPlaneUrl,
      env: {
        ADMIN_EMAIL: BENCH_ADMIN.email,
        ADMIN_PASSWORD: BENCH_ADMIN.password,
        BYOD_ALLOW_PRIVATE_NETWORKS: 'true',
        TENANT_DATABASE_POOL_SIZE: '4',
      },
    });
    const fixtures = await TenantFixtures.connect(app);
    await fixtures.registerInfrastructure(postgres.adminUrl, 10);

    const byodTenant = await fixtures.createTenant('byod', 'professional');
    await fixtures.control('PUT', `/control/tenants/${byodTenant}/data-source`, {
      kind: 'mysql',
      connection: {
        host: MYSQL_URL.hostname,
        port: Number(MYSQL_URL.port || 3306),
        database: legacyDatabase,
        user: decodeURIComponent(MYSQL_URL.username),
        password: decodeURIComponent(MYSQL_URL.password),
      },
      readOnly: false,
    });
    await fixtures.control('POST', `/control/tenants/${byodTenant}/data-source/test`);
    await fixtures.control('PUT', `/control/tenants/${byodTenant}/data-source/mappings`, {
      entities: {
        inventory_item: {
          table: 'vehicles',
          fields: {
            sku: 'vehicle_id',
            name: 'model_name',
            stock_on_hand: 'vehicle_inventory_count',
            price_selling_minor: 'current_sale_price',
            status: 'vehicle_status',
          },
          valueMaps: { status: { available: 'IN_STOCK', reserved: 'HOLD', sold: 'SOLD', archived: 'RETIRED' } },
        },
      },
    });
    await fixtures.control('POST', `/control/tenants/${byodTenant}/data-source/activate`);

    const dedicatedTenant = await fixtures.createTenant('dedicated', 'professional');
    await seedDedicated(postgres, dedicatedTenant, rows);

    const byodToken = fixtures.memberToken(byodTenant);
    const dedicatedToken = fixtures.memberToken(dedicatedTenant);
    const path = '/api/inventory/items?limit=50&minPrice=2000000&maxPrice=4000000&sort=priceSellingMinor';
    for (const token of [byodToken, dedicatedToken]) {
      const page = await call(app.url, 'GET', path, undefined, token);
      if (page.items.length !== 50) throw new Error(`expected a full page, got ${page.items.length}`);
    }
    const results: Record<string, LoadResult> = await measureInRounds(
      [
        { name: 'byod_mysql', baseUrl: app.url, next: () => ({ path, headers: { authorization: `Bearer ${byodToken}` } }) },
        { name: 'dedicated', baseUrl: app.url, next: () => ({ path, headers: { authorization: `Bearer ${dedicatedToken}` } }) },
      ],
      settings,
      quick ? 1 : 3,
    );
    for (const [name, result] of Object.entries(results)) {
      console.log(
        `${name.padEnd(11)} ${String(result.requestsPerSecond).padStart(6)} req/s   p50 ${result.p50Ms} ms   p99 ${result.p99Ms} ms   errors ${result.errors}   non-2xx ${result.non2xx}`,
      );
    }
    const ratio = Math.round((results.byod_mysql.requestsPerSecond / results.dedicated.requestsPerSecond) * 100) / 100;
    console.log(`byod (mapped MariaDB) / dedicated throughput: ${ratio}`);
    const failed = Object.values(results).reduce((sum, result) => sum + result.errors + result.non2xx, 0);
    console.log(JSON.stringify({ bench: 'byod', quick, rows, ...settings, results, byodVsDedicated: ratio, failedRequests: failed }));
    process.exitCode = failed > 0 ? 1 : 0;
  } finally {
    await app?.stop();
    await mysql.query(`DROP DATABASE IF EXISTS ${legacyDatabase}`).catch(() => undefined);
    await mysql.end();
    await postgres.dispose();
  }
}

/** The customer's own table: its names, a decimal price in major units, its status words. */
async function seedLegacyTable(mysql: Awaited<ReturnType<typeof createConnection>>, database: string, rows: number): Promise<void> {
  await mysql.query(`CREATE DATABASE ${database}`);
  await mysql.query(`USE ${database}`);
  await mysql.query(`CREATE TABLE vehicles (
    vehicle_id varchar(32) PRIMARY KEY,
    model_name varchar(100) NOT NULL,
    vehicle_inventory_count int NOT NULL,
    current_sale_price decimal(12,2) NOT NULL,
    vehicle_status varchar(16) NOT NULL,
    KEY vehicles_price (current_sale_price)
  )`);
  for (let start = 0; start < rows; start += 1_000) {
    const batch = Array.from({ length: Math.min(1_000, rows - start) }, (_, i) => start + i);
    await mysql.query('INSERT INTO vehicles VALUES ?', [
      batch.map((n) => [
        `VH-${String(n).padStart(6, '0')}`,
        `Model ${n % 97}`,
        n % 7,
        (10_000 + ((n * 37) % 40_000)).toFixed(2),
        n % 11 === 0 ? 'SOLD' : 'IN_STOCK',
      ]),
    ]);
  }
}

/** The same rows in a dedicated tenant's own Tenantry database. */
async function seedDedicated(postgres: BenchPostgres, tenantId: string, rows: number): Promise<void> {
  const [{ database }] = await query(postgres.controlPlaneUrl, 'SELECT database_name AS database FROM tenants WHERE id = $1', [tenantId]);
  const url = new URL(postgres.adminUrl);
  url.pathname = `/${database}`;
  await query(
    url.toString(),
    `INSERT INTO inventory_items (tenant_id, sku, name, stock_on_hand, price_selling_minor, currency, status)
     SELECT $1::uuid, 'VH-' || lpad(n::text, 6, '0'), 'Model ' || (n % 97), n % 7, (10000 + (n * 37) % 40000) * 100, 'EUR', CASE WHEN n % 11 = 0 THEN 'sold' ELSE 'available' END
       FROM generate_series(0, $2::int - 1) AS n`,
    [tenantId, rows],
  );
  await query(url.toString(), 'ANALYZE inventory_items');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
