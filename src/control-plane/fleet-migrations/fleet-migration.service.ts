import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { FleetOutcome, FleetTarget, runFleetMigration } from '../../../libs/tenancy/fleet-migration-runner';
import { TenantSchema } from '../../../libs/tenancy/tenant-schema';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { TenantDatabaseFactory } from '../placement/tenant-database.factory';
import { FleetMigrationOptions, FleetMigrationRun } from './entities/fleet-migration-run.entity';
import { FleetMigrationTarget, FleetTargetKind } from './entities/fleet-migration-target.entity';

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
  ) {}

  /** Records a run to start; with `manager`, inside the caller's transaction (e.g. with its job). */
  async createRun(options: FleetMigrationOptions, requestedBy: string | null, manager: EntityManager = this.dataSource.manager): Promise<FleetMigrationRun> {
    if (options.tenant) await this.findTenantOrFail(manager, options.tenant);
    const run = await manager.save(manager.create(FleetMigrationRun, { status: 'queued', targetVersion: this.schema.version, options, requestedBy }));
    await this.audit.record(manager, { action: 'fleet_migration.create', targetType: 'fleet_migration', targetId: run.id, actorUserId: requestedBy, changes: { ...options, targetVersion: run.targetVersion } });
    return run;
  }

  /** Runs a recorded run to its end; a run already started elsewhere is left alone. */
  async execute(runId: string, progress?: FleetProgress): Promise<FleetMigrationRun> {
    // An UPDATE … RETURNING answers [rows, count] through TypeORM.
    const [claimed] = await this.dataSource.query(`UPDATE fleet_migration_runs SET status = 'running', started_at = now() WHERE id = $1 AND status = 'queued' RETURNING id`, [runId]);
    const run = await this.dataSource.getRepository(FleetMigrationRun).findOneByOrFail({ id: runId });
    if (claimed.length === 0) return run;
    const targets = await this.plan(run.options);
    await this.dataSource.getRepository(FleetMigrationTarget).insert(
      targets.map((target) => ({ runId, target: target.key, kind: target.kind, label: target.label, status: 'pending' as const, applied: [] })),
    );
    let done = 0;
    let failed = 0;
    await runFleetMigration(targets, this.schema.migrations, run.options, async (target, outcome) => {
      const planned = target as PlannedTarget;
      done += 1;
      if (outcome.status === 'failed') failed += 1;
      await this.record(runId, planned, outcome, run.options.dryRun ?? false);
      progress?.(done, targets.length, planned, outcome);
    });
    await this.dataSource.query(`UPDATE fleet_migration_runs SET status = $2, finished_at = now() WHERE id = $1`, [runId, failed > 0 ? 'failed' : 'succeeded']);
    this.logger.log(`Fleet migration ${runId}: ${targets.length} databases, ${failed} failed`);
    return this.dataSource.getRepository(FleetMigrationRun).findOneByOrFail({ id: runId });
  }

  async get(runId: string): Promise<{ run: FleetMigrationRun; targets: FleetMigrationTarget[] }> {
    const run = await this.dataSource.getRepository(FleetMigrationRun).findOneBy({ id: runId });
    if (!run) throw new NotFoundException(`Fleet migration ${runId} not found`);
    const targets = await this.dataSource.getRepository(FleetMigrationTarget).find({ where: { runId }, order: { kind: 'ASC', label: 'ASC' } });
    return { run, targets };
  }

  async list(limit = 20): Promise<FleetMigrationRun[]> {
    return this.dataSource.getRepository(FleetMigrationRun).find({ order: { createdAt: 'DESC' }, take: limit });
  }

  /** Dedicated tenant databases and pools first (in creation order, so a canary is the oldest), templates last. */
  private async plan(options: FleetMigrationOptions): Promise<PlannedTarget[]> {
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
    const connect = (serverId: string, database: string, appRole: string) => async () => ({ ...(await this.servers.adminConnection(serverId)), database, appRole });
    return [
      ...dedicated.map((row) => ({ key: `tenant:${row.id}`, kind: 'dedicated' as const, label: row.slug, ownerId: row.id, connect: connect(row.database_server_id, row.database_name, row.database_role) })),
      ...pools.map((row) => ({ key: `pool:${row.id}`, kind: 'pool' as const, label: row.name, ownerId: row.id, connect: connect(row.database_server_id, row.database_name, row.app_role) })),
      ...servers.map((row) => ({ key: `template:${row.id}`, kind: 'template' as const, label: row.name, ownerId: row.id, custom: () => this.databases.refreshTemplate(row.id) })),
    ];
  }

  private async record(runId: string, target: PlannedTarget, outcome: FleetOutcome, dryRun: boolean): Promise<void> {
    const upToDate = !dryRun && (outcome.status === 'migrated' || outcome.status === 'current');
    const affectedTenants = await this.dataSource.transaction(async (manager) => {
      await manager.update(
        FleetMigrationTarget,
        { runId, target: target.key },
        { status: outcome.status, applied: outcome.applied, error: outcome.error ?? null, durationMs: outcome.durationMs, finishedAt: new Date() },
      );
      if (!upToDate || target.kind === 'template') return [];
      if (target.kind === 'dedicated') {
        await manager.query('UPDATE tenants SET schema_version = $2 WHERE id = $1', [target.ownerId, this.schema.version]);
        return [target.ownerId];
      }
      await manager.query('UPDATE tenant_pools SET schema_version = $2 WHERE id = $1', [target.ownerId, this.schema.version]);
      const [rows]: [Array<{ id: string }>] = await manager.query('UPDATE tenants SET schema_version = $2 WHERE tenant_pool_id = $1 RETURNING id', [target.ownerId, this.schema.version]);
      return rows.map((row) => row.id);
    });
    for (const tenantId of affectedTenants) this.changes.tenantChanged(tenantId);
  }

  private async findTenantOrFail(manager: EntityManager, reference: string): Promise<{ id: string; placement: string; tenant_pool_id: string | null }> {
    const rows = await manager.query(`SELECT id, placement, tenant_pool_id FROM tenants WHERE slug = $1 OR id::text = $1`, [reference]);
    if (rows.length === 0) throw new NotFoundException({ message: `Tenant "${reference}" not found`, details: [{ field: 'tenant', problems: ['unknown tenant'] }] });
    if (rows[0].placement === 'byod') throw new ConflictException(`Tenant "${reference}" brings its own database; Tenantry never migrates it`);
    return rows[0];
  }
}
