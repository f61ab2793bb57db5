import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Owner, sameMark } from '../../../libs/tenancy/ownership-mark';
import { PostgresAdmin } from '../../../libs/tenancy/postgres-admin';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { ControlPlaneIdentity } from '../placement/control-plane-identity';

/** A table is analyzed again once imports added more than this share of the rows its statistics count (autovacuum's default scale factor). */
const GROWTH_SHARE = 0.1;
/** Fewer new rows than this are not worth an ANALYZE: looking them up costs less than sampling the table. */
const MIN_ROWS = 2000;
/**
 * After an ANALYZE from here, the next waits until the table has grown this many times over: the planner
 * scales the statistics' row count to the table's current size, so the first fresh statistics fix the
 * plans and later ones only refine them, for up to a second of the server's time each (BENCHMARKS.md, bench:import).
 */
const REGROWTH = 10;

interface Growth {
  /** Rows imported into the table since the last ANALYZE started from here. */
  pending: number;
  /** `pending` worth a look at the table's statistics (a tenth of what they counted at the last look, tenfold after an ANALYZE). */
  threshold: number;
  running: boolean;
}

interface PlacedTenant {
  placement: 'pooled' | 'dedicated' | 'byod';
  server_id: string | null;
  database_name: string | null;
  pool_id: string | null;
}

/**
 * Fresh planner statistics for the tenant tables imports grow. A fresh tenant database holds the
 * statistics of empty tables, the app's role may not ANALYZE, and autovacuum catches up a minute
 * later at best (never where it is off): meanwhile the lookup of existing records by key reads all
 * of the tenant's rows, so an import into a fresh table is quadratic (BENCHMARKS.md, bench:import).
 * After a batch commits, the import reports how many records it created; once they exceed a tenth
 * of what the table's statistics count (and MIN_ROWS), the control plane ANALYZEs the table through
 * the server's admin connection (the table owner's side, as migrations do), in the background, one
 * at a time per tenant and table, and only in a database whose ownership mark says this control
 * plane created it for that tenant or pool; then not again until REGROWTH. Best effort: a failure
 * is logged and the statistics stay as they were (autovacuum still catches up).
 */
@Injectable()
export class ImportTableStatistics implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ImportTableStatistics.name);
  /** By tenant and table; kept for the process's life (a few per tenant that imports), so a table's threshold outlives one import. */
  private readonly growth = new Map<string, Growth>();
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    @InjectDataSource() private readonly controlPlane: DataSource,
    private readonly servers: DatabaseServersService,
    private readonly identity: ControlPlaneIdentity,
  ) {}

  /** `rows` of `table` were committed in the tenant's database; starts an ANALYZE when they grew it enough. Never throws or waits. */
  grew(tenantId: string, table: string, rows: number): void {
    if (rows <= 0) return;
    const key = `${tenantId}/${table}`;
    const growth = this.growth.get(key) ?? { pending: 0, threshold: MIN_ROWS, running: false };
    this.growth.set(key, growth);
    growth.pending += rows;
    if (growth.running || growth.pending < growth.threshold) return;
    growth.running = true;
    const added = growth.pending;
    const done = this.refresh(tenantId, table, added)
      .then((outcome) => {
        // Not a table of ours: never looked at again by this process.
        if (!outcome || outcome.counted === null) {
          growth.threshold = Number.POSITIVE_INFINITY;
          return;
        }
        if (outcome.analyzed) growth.pending -= added;
        const next = (outcome.analyzed ? REGROWTH : GROWTH_SHARE) * outcome.counted;
        growth.threshold = Math.max(MIN_ROWS, Math.ceil(next) + 1);
      })
      .catch((error: unknown) =>
        this.logger.warn(`Could not refresh the statistics of ${table} for tenant ${tenantId}: ${(error as Error).message}`),
      )
      .finally(() => {
        growth.running = false;
        this.inFlight.delete(done);
      });
    this.inFlight.add(done);
  }

  /** Waits for the ANALYZEs started so far. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.settled();
  }

  /** Null: not a database of ours (byod, unplaced, or without this control plane's mark). */
  private async refresh(tenantId: string, table: string, added: number): Promise<{ analyzed: boolean; counted: number | null } | null> {
    const [tenant] = await this.controlPlane.query<PlacedTenant[]>(
      `SELECT t.placement, coalesce(p.database_server_id, t.database_server_id) AS server_id,
              coalesce(p.database_name, t.database_name) AS database_name, t.tenant_pool_id AS pool_id
         FROM tenants t LEFT JOIN tenant_pools p ON p.id = t.tenant_pool_id
        WHERE t.id = $1`,
      [tenantId],
    );
    // A byod tenant's tables are the customer's.
    if (!tenant?.server_id || !tenant.database_name || tenant.placement === 'byod') return null;
    if (tenant.placement === 'pooled' && !tenant.pool_id) return null;
    const owner: Owner = tenant.placement === 'pooled' ? { kind: 'pool', ownerId: tenant.pool_id! } : { kind: 'tenant', ownerId: tenantId };
    const admin = new PostgresAdmin(await this.servers.adminConnection(tenant.server_id));
    const found = await admin.inspectDatabase(tenant.database_name);
    if (!found || !sameMark(found.mark, await this.identity.markFor(owner))) return null;
    return admin.analyzeIfGrown(tenant.database_name, table, added, GROWTH_SHARE);
  }
}
