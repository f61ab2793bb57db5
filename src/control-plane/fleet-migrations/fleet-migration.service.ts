import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FleetOutcome, FleetTarget, runFleetMigration } from '../../../libs/tenancy/fleet-migration-runner';
import { Owner, sameMark } from '../../../libs/tenancy/ownership-mark';
import { PostgresAdmin } from '../../../libs/tenancy/postgres-admin';
import { TenantSchemaTarget } from '../../../libs/tenancy/tenant-schema-migrator';
import { TenantSchema } from '../../../libs/tenancy/tenant-schema';
import { AppConfig } from '../../platform/config/app-config';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { ControlPlaneIdentity } from '../placement/control-plane-identity';
import { TenantDatabaseFactory } from '../placement/tenant-database.factory';
import { FleetMigrationOptions, FleetMigrationRun, FleetMigrationRunStatus } from '../schema/fleet-migration-run.entity';
import { FleetMigrationTarget, FleetTargetKind } from '../schema/fleet-migration-target.entity';
import { FleetRunLiveness } from './fleet-run-liveness';
import { FleetScratchDatabases } from './fleet-scratch-databases';

interface PlannedTarget extends FleetTarget {
  kind: FleetTargetKind;
  label: string;
  /** The tenant or pool whose recorded version follows this database's. */
  ownerId: string;
}

export type FleetProgress = (done: number, total: number, target: { label: string; kind: FleetTargetKind }, outcome: FleetOutcome) => void;

/**
 * Upgrades every tenant database this control plane knows (dedicated tenants, pooled databases,
 * the servers' templates) to the app's tenant schema and records each one's version; BYOD
 * databases belong to their owners and are never touched. Used by `npm run cli -- migrate` and by
 * `POST /control/migrations` (through the queue): same code, same records.
 */
@Injectable()
export class FleetMigrationService {
  private readonly logger = new Logger(FleetMigrationService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly schema: TenantSchema,
    private readonly servers: DatabaseServersService,
    private readonly databases: TenantDatabaseFactory,
    private readonly audit: AuditService,
    private readonly changes: AccessChanges,
    private readonly liveness: FleetRunLiveness,
    private readonly scratch: FleetScratchDatabases,
    private readonly identity: ControlPlaneIdentity,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /** Records a run to start; with `manager`, inside the caller's transaction (e.g. with its job). */
  async createRun(
    options: FleetMigrationOptions,
    requestedBy: string | null,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<FleetMigrationRun> {
    if (options.tenant) await this.findTenantOrFail(manager, options.tenant);
    const run = await manager.save(
      manager.create(FleetMigrationRun, { status: 'queued', targetVersion: this.schema.version, options, requestedBy }),
    );
    await this.audit.record(manager, {
      action: 'fleet_migration.create',
      targetType: 'fleet_migration',
      targetId: run.id,
      actorUserId: requestedBy,
      changes: { ...options, targetVersion: run.targetVersion },
    });
    return run;
  }

  /**
   * Runs a recorded run to its end; a run already started elsewhere is left alone. Before it
   * starts, runs whose runner died are marked `interrupted`, the databases they (or `incomplete`
   * runs) left join this run and the scratch databases of finished runs are dropped. The run is
   * `succeeded` only if every database is done: skipped ones make it `incomplete`, failed ones `failed`.
   * Once `signal` aborts (e.g. its job's time is up) no further database is started, as when the run loses its claim.
   */
  async execute(runId: string, progress?: FleetProgress, signal?: AbortSignal): Promise<FleetMigrationRun> {
    await this.liveness.markStale();
    // An UPDATE … RETURNING answers [rows, count] through TypeORM.
    const [claimed] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE fleet_migration_runs SET status = 'running', started_at = now(), heartbeat_at = now() WHERE id = $1 AND status = 'queued' RETURNING id`,
      [runId],
    );
    const run = await this.dataSource.getRepository(FleetMigrationRun).findOneByOrFail({ id: runId });
    if (claimed.length === 0) return run;
    const heartbeat = this.liveness.keepAlive(runId);
    try {
      const stop = signal ? AbortSignal.any([heartbeat.signal, signal]) : heartbeat.signal;
      const status = await this.migrate(run, stop, progress);
      // Only while still `running`: a run declared interrupted meanwhile stays so (its leftovers are resumed).
      await this.finish(runId, status, null);
    } catch (error) {
      const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
      await this.finish(runId, 'failed', message);
      throw error;
    } finally {
      heartbeat.stop();
    }
    return this.dataSource.getRepository(FleetMigrationRun).findOneByOrFail({ id: runId });
  }

  private async migrate(run: FleetMigrationRun, signal: AbortSignal, progress?: FleetProgress): Promise<FleetMigrationRunStatus> {
    const dryRun = run.options.dryRun ?? false;
    // A dry run changes nothing: it neither takes over earlier runs nor drops their leftovers.
    const resumed = dryRun ? [] : await this.takeOverUnfinished(run.id);
    if (!dryRun) await this.scratch.removeLeftovers();
    const targets = await this.plan(run.id, run.options, resumed);
    await this.dataSource.getRepository(FleetMigrationTarget).insert(
      targets.map((target) => ({
        runId: run.id,
        target: target.key,
        kind: target.kind,
        label: target.label,
        status: 'pending' as const,
        applied: [],
      })),
    );
    const counts = { done: 0, failed: 0, skipped: 0 };
    const options = { ...run.options, lockWaitMs: this.config.get('fleet', { infer: true }).lockWaitMs, signal };
    await runFleetMigration(targets, this.schema.migrations, options, async (target, outcome) => {
      const planned = target as PlannedTarget;
      counts.done += 1;
      if (outcome.status === 'failed') counts.failed += 1;
      if (outcome.status === 'skipped') counts.skipped += 1;
      await this.record(run.id, planned, outcome, dryRun);
      progress?.(counts.done, targets.length, planned, outcome);
    });
    const summary = `${targets.length} databases, ${counts.failed} failed, ${counts.skipped} skipped, ${targets.length - counts.done} not started`;
    this.logger.log(
      `Fleet migration ${run.id}: ${summary}${resumed.length > 0 ? `, resuming ${resumed.length} left by earlier runs` : ''}`,
    );
    if (counts.failed > 0) return 'failed';
    // Not started: the run lost its claim (declared interrupted) or its job's time; their rows stay for whoever resumes it.
    return counts.skipped > 0 || counts.done < targets.length ? 'incomplete' : 'succeeded';
  }

  private async finish(runId: string, status: FleetMigrationRunStatus, error: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE fleet_migration_runs SET status = $2, error = $3, finished_at = now() WHERE id = $1 AND status = 'running'`,
      [runId, status, error],
    );
  }

  /**
   * Claims every interrupted or incomplete run nobody resumed yet; answers the databases they left
   * pending or skipped, so even a run for one tenant finishes what a killed or blocked run left.
   */
  private async takeOverUnfinished(runId: string): Promise<string[]> {
    const rows: Array<{ target: string }> = await this.dataSource.query(
      `WITH taken AS (
         UPDATE fleet_migration_runs SET resumed_by = $1
          WHERE status IN ('interrupted', 'incomplete') AND resumed_by IS NULL AND id <> $1 AND NOT coalesce((options ->> 'dryRun')::boolean, false)
          RETURNING id)
       SELECT DISTINCT t.target FROM fleet_migration_targets t JOIN taken ON taken.id = t.run_id WHERE t.status IN ('pending', 'skipped')`,
      [runId],
    );
    return rows.map((row) => row.target);
  }

  async get(runId: string): Promise<{ run: FleetMigrationRun; targets: FleetMigrationTarget[] }> {
    const run = await this.dataSource.getRepository(FleetMigrationRun).findOneBy({ id: runId });
    if (!run) throw new NotFoundException(`Fleet migration ${runId} not found`);
    const targets = await this.dataSource
      .getRepository(FleetMigrationTarget)
      .find({ where: { runId }, order: { kind: 'ASC', label: 'ASC' } });
    return { run, targets };
  }

  async list(limit = 20): Promise<FleetMigrationRun[]> {
    return this.dataSource.getRepository(FleetMigrationRun).find({ order: { createdAt: 'DESC' }, take: limit });
  }

  /** This run's own databases, then those of earlier runs it resumes (that still exist and are ours to migrate). */
  private async plan(runId: string, options: FleetMigrationOptions, resumed: string[]): Promise<PlannedTarget[]> {
    const own = await this.planFor(runId, options);
    const planned = new Set(own.map((target) => target.key));
    const missing = new Set(resumed.filter((key) => !planned.has(key)));
    if (missing.size === 0) return own;
    const everything = await this.planFor(runId, { concurrency: options.concurrency });
    return [...own, ...everything.filter((target) => missing.has(target.key))];
  }

  /** Dedicated tenant databases and pools first (in creation order, so a canary is the oldest), templates last. */
  private async planFor(runId: string, options: FleetMigrationOptions): Promise<PlannedTarget[]> {
    const tenant = options.tenant ? await this.findTenantOrFail(this.dataSource.manager, options.tenant) : undefined;
    const dedicated: Array<{ id: string; slug: string; database_name: string; database_role: string; database_server_id: string }> =
      tenant?.placement === 'pooled'
        ? []
        : await this.dataSource.query(
            `SELECT id, slug, database_name, database_role, database_server_id FROM tenants
              WHERE placement = 'dedicated' AND database_name IS NOT NULL AND status NOT IN ('provisioning', 'purged')
                AND ($1::uuid IS NULL OR id = $1::uuid)
              ORDER BY created_at, id`,
            [tenant?.id ?? null],
          );
    const pools: Array<{ id: string; name: string; database_name: string; app_role: string; database_server_id: string }> =
      tenant?.placement === 'dedicated'
        ? []
        : await this.dataSource.query(
            `SELECT id, name, database_name, app_role, database_server_id FROM tenant_pools WHERE ($1::uuid IS NULL OR id = $1::uuid) ORDER BY created_at, id`,
            [tenant?.tenant_pool_id ?? null],
          );
    const servers: Array<{ id: string; name: string }> = tenant
      ? []
      : await this.dataSource.query(`SELECT id, name FROM database_servers WHERE status = 'active' ORDER BY created_at, id`);
    const connect = (owner: Owner, serverId: string, database: string, appRole: string) => () =>
      this.connectIfOurs(serverId, database, appRole, owner);
    const refreshTemplate = (serverId: string) => () =>
      this.scratch.use(runId, serverId, (scratchName) => this.databases.refreshTemplate(serverId, scratchName));
    return [
      ...dedicated.map((row) => ({
        key: `tenant:${row.id}`,
        kind: 'dedicated' as const,
        label: row.slug,
        ownerId: row.id,
        connect: connect({ kind: 'tenant', ownerId: row.id }, row.database_server_id, row.database_name, row.database_role),
      })),
      ...pools.map((row) => ({
        key: `pool:${row.id}`,
        kind: 'pool' as const,
        label: row.name,
        ownerId: row.id,
        connect: connect({ kind: 'pool', ownerId: row.id }, row.database_server_id, row.database_name, row.app_role),
      })),
      ...servers.map((row) => ({
        key: `template:${row.id}`,
        kind: 'template' as const,
        label: row.name,
        ownerId: row.id,
        custom: refreshTemplate(row.id),
      })),
    ];
  }

  /**
   * A row naming a database proves nothing about it: the database is migrated (or inspected) only
   * while its mark says this control plane created it for that tenant or pool; otherwise the target fails.
   */
  private async connectIfOurs(serverId: string, database: string, appRole: string, owner: Owner): Promise<TenantSchemaTarget> {
    const connection = await this.servers.adminConnection(serverId);
    const found = await new PostgresAdmin(connection).inspectDatabase(database);
    if (!found) throw new Error(`database ${database} does not exist; not migrating it`);
    if (!sameMark(found.mark, await this.identity.markFor(owner))) {
      throw new Error(`database ${database} does not carry this control plane's mark for ${owner.kind} ${owner.ownerId}; not migrating it`);
    }
    return { ...connection, database, appRole };
  }

  private async record(runId: string, target: PlannedTarget, outcome: FleetOutcome, dryRun: boolean): Promise<void> {
    const upToDate = !dryRun && (outcome.status === 'migrated' || outcome.status === 'current');
    const affectedTenants = await this.dataSource.transaction(async (manager) => {
      await manager.update(
        FleetMigrationTarget,
        { runId, target: target.key },
        {
          status: outcome.status,
          applied: outcome.applied,
          error: outcome.error ?? null,
          durationMs: outcome.durationMs,
          finishedAt: new Date(),
        },
      );
      if (!upToDate || target.kind === 'template') return [];
      if (target.kind === 'dedicated') {
        await manager.query('UPDATE tenants SET schema_version = $2 WHERE id = $1', [target.ownerId, this.schema.version]);
        return [target.ownerId];
      }
      await manager.query('UPDATE tenant_pools SET schema_version = $2 WHERE id = $1', [target.ownerId, this.schema.version]);
      const [rows]: [Array<{ id: string }>] = await manager.query(
        'UPDATE tenants SET schema_version = $2 WHERE tenant_pool_id = $1 RETURNING id',
        [target.ownerId, this.schema.version],
      );
      return rows.map((row) => row.id);
    });
    for (const tenantId of affectedTenants) this.changes.tenantChanged(tenantId);
  }

  private async findTenantOrFail(
    manager: EntityManager,
    reference: string,
  ): Promise<{ id: string; placement: string; tenant_pool_id: string | null }> {
    const rows = await manager.query<Array<{ id: string; placement: string; tenant_pool_id: string | null }>>(
      `SELECT id, placement, tenant_pool_id FROM tenants WHERE slug = $1 OR id::text = $1`,
      [reference],
    );
    if (rows.length === 0)
      throw new NotFoundException({
        message: `Tenant "${reference}" not found`,
        details: [{ field: 'tenant', problems: ['unknown tenant'] }],
      });
    if (rows[0].placement === 'byod')
      throw new ConflictException(`Tenant "${reference}" brings its own database; Tenantry never migrates it`);
    return rows[0];
  }
}
