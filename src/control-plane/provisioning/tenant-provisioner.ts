import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AttemptSupersededError, FenceTarget, FencedAttempt } from '../../../libs/queue/fenced-attempt';
import { SecretCipher } from '../../../libs/secrets';
import { WORKER_DATA_SOURCE } from '../database/control-plane-connection';
import { PlatformAlerts } from '../alerts/platform-alerts';
import { AccessChanges } from '../access-changes';
import { AuditService } from '../audit/audit.service';
import { PlatformEvents, tenantSummary } from '../domain-events/platform-events';
import { DatabaseServersService } from '../database-servers/database-servers.service';
import { TenantDatabaseFactory } from '../placement/tenant-database.factory';
import { PlansService } from '../plans/plans.service';
import { TenantPoolsService } from '../tenant-pools/tenant-pools.service';
import { MembershipDirectory } from '../memberships/membership-directory';
import { MembershipsService } from '../memberships/memberships.service';
import { TenantSettingsService } from '../tenant-settings/tenant-settings.service';
import { Tenant } from '../schema/tenant.entity';
import { tenantSecretScope } from '../schema/tenant-secrets';
import { ProvisioningStep } from '../schema/provisioning-step.entity';
import { missingSettings } from '../../platform/tenant-modules/module-catalog';

/** Settings every tenant starts with; modules such as billing check them before they can be enabled. */
export const DEFAULT_TENANT_SETTINGS = { timezone: 'UTC', currency: 'USD', locale: 'en' };

const BYOD_NOTHING_TO_CREATE = "byod: the data lives in the customer's system (configure it with PUT /control/tenants/{id}/data-source)";

interface StepOutcome {
  detail: string;
  skipped?: boolean;
  /** Runs in the transaction that records the step's success, so what others see and the step record agree. */
  commit?: (manager: EntityManager) => Promise<void>;
}

/** What an interrupted or failed step left behind is always safe to run again over. */
type Step = (tenant: Tenant, attempt: FencedAttempt) => Promise<StepOutcome>;

/** A tenant is worked on while it is `provisioning`; `provisioning_attempt` names the attempt that owns it. */
export const PROVISIONING_FENCE: FenceTarget = {
  table: 'tenants',
  tokenColumn: 'provisioning_attempt',
  ownedWhile: "status = 'provisioning'",
};

/**
 * Takes a tenant from `provisioning` to `active`. Jobs run at least once, so every step is
 * idempotent: it looks at what exists (placement on the tenant row, database and role on the
 * server, membership) and does only what is missing. Each step is recorded with its timing in
 * tenant_provisioning_steps and audited.
 *
 * Attempts are fenced: each claims the tenant (a new `provisioning_attempt`) and every write of
 * its steps commits only while it still owns it, so an attempt that outlived its job's timeout
 * (and was retried) can neither finish nor undo the newer attempt's work. A timed-out attempt's
 * statements are also cancelled. Its connections come from the workers' own pool.
 */
@Injectable()
export class TenantProvisioner {
  private readonly logger = new Logger(TenantProvisioner.name);
  private readonly steps: Array<[string, Step]> = [
    ['place', (tenant, attempt) => this.place(tenant, attempt)],
    ['database', (tenant, attempt) => this.createDatabase(tenant, attempt)],
    ['defaults', (tenant, attempt) => this.seedDefaults(tenant, attempt)],
    ['admin', (tenant, attempt) => this.addAdmin(tenant, attempt)],
    ['activate', (tenant) => this.activate(tenant)],
  ];

  constructor(
    @InjectDataSource(WORKER_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly directory: MembershipDirectory,
    private readonly memberships: MembershipsService,
    private readonly tenantSettings: TenantSettingsService,
    private readonly pools: TenantPoolsService,
    private readonly servers: DatabaseServersService,
    private readonly databases: TenantDatabaseFactory,
    private readonly plans: PlansService,
    private readonly cipher: SecretCipher,
    private readonly changes: AccessChanges,
    private readonly alerts: PlatformAlerts,
    private readonly events: PlatformEvents,
  ) {}

  /** One attempt; `signal` aborts when the job's time is up, and the attempt then stops and commits nothing more. */
  async provision(tenantId: string, signal: AbortSignal): Promise<void> {
    const attempt = await FencedAttempt.claim(this.dataSource, PROVISIONING_FENCE, tenantId, signal);
    if (!attempt) {
      this.logger.log(`Tenant ${tenantId} is no longer being provisioned; nothing to do`);
      return;
    }
    const started = Date.now();
    try {
      for (const [name, step] of this.steps) {
        await this.runStep(attempt, name, step);
      }
    } catch (error) {
      // Another attempt owns the tenant now: this job has nothing left to do, and failing it would only retry it.
      if (!(error instanceof AttemptSupersededError)) throw error;
      this.logger.warn(`Attempt ${attempt.token} at tenant ${tenantId} was superseded; it stops without writing`);
      return;
    }
    this.changes.tenantChanged(tenantId);
    this.logger.log(`Tenant ${tenantId} provisioned in ${Date.now() - started} ms (attempt ${attempt.token})`);
  }

  /**
   * Called once retries are exhausted (or the last try expired): the tenant is marked failed with
   * the reason. That supersedes whatever attempt of the job may still be winding down, so none
   * can commit afterwards. A tenant another attempt already activated stays active; a new job is
   * only ever enqueued for a tenant already `failed`, so no newer job's attempt can be running.
   */
  async markFailed(tenantId: string, fallbackReason: string): Promise<void> {
    const failed = await this.dataSource.transaction(async (manager) => {
      const tenant = await manager.findOne(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
      if (tenant?.status !== 'provisioning') return undefined;
      const lastFailure = await manager.findOne(ProvisioningStep, { where: { tenantId, status: 'failed' }, order: { attempt: 'DESC' } });
      const reason = (lastFailure ? `${lastFailure.step}: ${lastFailure.detail}` : fallbackReason).slice(0, 500);
      const ending = { status: 'failed', failure_reason: reason, updated_at: new Date() };
      await FencedAttempt.end(manager, PROVISIONING_FENCE, tenantId, ending);
      await this.audit.record(manager, {
        action: 'tenant.provision.failed',
        targetType: 'tenant',
        targetId: tenantId,
        tenantId,
        changes: { reason },
      });
      await this.events.raise(manager, 'tenant.provisioning_failed', null, {
        tenant: tenantSummary({ ...tenant, status: 'failed' }),
        reason,
      });
      await this.alerts.raise(
        { kind: 'provisioning_failed', subject: tenantId, message: `Provisioning of tenant "${tenant.slug}" failed for good: ${reason}` },
        manager,
      );
      return { slug: tenant.slug, reason };
    });
    this.changes.tenantChanged(tenantId);
    if (failed) this.logger.error(`Provisioning of tenant ${tenantId} (${failed.slug}) failed for good: ${failed.reason}`);
  }

  /** Every write here goes through the attempt's fence; a refused one throws AttemptSupersededError. */
  private async runStep(attempt: FencedAttempt, name: string, step: Step): Promise<void> {
    const { rowId: tenantId, token } = attempt;
    const startedAt = new Date();
    await attempt.transaction((manager) =>
      manager
        .getRepository(ProvisioningStep)
        .upsert({ tenantId, attempt: token, step: name, status: 'running', startedAt, detail: null, finishedAt: null, durationMs: null }, [
          'tenantId',
          'attempt',
          'step',
        ]),
    );
    const finish = async (status: ProvisioningStep['status'], detail: string, commit?: StepOutcome['commit']) => {
      const durationMs = Date.now() - startedAt.getTime();
      // How a step ended is recorded even once the attempt was aborted; the fence still decides whether it may be.
      await attempt.transaction(
        async (manager) => {
          await commit?.(manager);
          const record = { status, detail: detail.slice(0, 500), finishedAt: new Date(), durationMs };
          await manager.update(ProvisioningStep, { tenantId, attempt: token, step: name }, record);
          await this.audit.record(manager, {
            action: `tenant.provision.${name}`,
            targetType: 'tenant',
            targetId: tenantId,
            tenantId,
            changes: { attempt: token, status, durationMs, detail: detail.slice(0, 500) },
          });
        },
        { cancellable: status !== 'failed' },
      );
    };
    let slug: string | undefined;
    try {
      attempt.signal.throwIfAborted();
      const tenant = await this.dataSource.getRepository(Tenant).findOneOrFail({ where: { id: tenantId } });
      slug = tenant.slug;
      const outcome = await step(tenant, attempt);
      await finish(outcome.skipped ? 'skipped' : 'succeeded', outcome.detail, outcome.commit);
    } catch (error) {
      if (error instanceof AttemptSupersededError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      // One line an operator can act on without querying the steps table; the job is retried until its retries run out.
      this.logger.warn(
        `Provisioning attempt ${token} of tenant ${tenantId} (${slug ?? 'slug unknown'}) failed at step ${name}: ${reason.slice(0, 500)}`,
      );
      await finish('failed', reason);
      throw error;
    }
  }

  /** Pooled: the pool with most room. Dedicated: a server by capacity, a database name, a role and its password. */
  private place(tenant: Tenant, attempt: FencedAttempt): Promise<StepOutcome> {
    return attempt.transaction(async (manager) => {
      const locked = await this.lockTenant(manager, tenant.id);
      if (locked.placement === 'byod') return { detail: BYOD_NOTHING_TO_CREATE, skipped: true };
      if (locked.placement === 'pooled') {
        if (locked.tenantPoolId) return { detail: `in pool ${locked.tenantPoolId}`, skipped: true };
        const pool = await this.pools.choose(manager);
        await manager.update(Tenant, { id: tenant.id }, { tenantPoolId: pool.id, schemaVersion: pool.schemaVersion });
        return { detail: `placed in pool ${pool.name}` };
      }
      if (locked.databaseName) return { detail: `database ${locked.databaseName} already chosen`, skipped: true };
      const serverId = locked.databaseServerId ?? (await this.servers.choose());
      const databaseName = `tenant_${tenant.id.replaceAll('-', '')}`;
      await manager.update(
        Tenant,
        { id: tenant.id },
        {
          databaseServerId: serverId,
          databaseName,
          databaseRole: `${databaseName}_app`,
          databasePasswordEncrypted: this.cipher.encrypt(randomBytes(24).toString('base64url'), tenantSecretScope(tenant.id)),
        },
      );
      return { detail: `database ${databaseName} on server ${serverId}` };
    });
  }

  /** The attempt's signal cancels the statement creating or migrating the database; recording its schema version is fenced. */
  private async createDatabase(tenant: Tenant, attempt: FencedAttempt): Promise<StepOutcome> {
    if (tenant.placement === 'byod') return { detail: BYOD_NOTHING_TO_CREATE, skipped: true };
    if (tenant.placement !== 'dedicated') return { detail: 'pooled: the pool’s database is ready', skipped: true };
    const { databasePasswordEncrypted } = await this.dataSource
      .getRepository(Tenant)
      .createQueryBuilder('tenant')
      .addSelect('tenant.databasePasswordEncrypted')
      .where('tenant.id = :id', { id: tenant.id })
      .getOneOrFail();
    const password = this.cipher.decrypt(databasePasswordEncrypted!, tenantSecretScope(tenant.id));
    const owner = { kind: 'tenant' as const, ownerId: tenant.id };
    const { databaseServerId, databaseName, databaseRole } = tenant;
    const ensured = await this.databases.ensure(databaseServerId!, databaseName!, databaseRole!, password, owner, attempt.signal);
    attempt.signal.throwIfAborted();
    return {
      detail: `${tenant.databaseName} ready (${ensured.origin}) at ${ensured.schemaVersion}`,
      commit: (manager) => manager.update(Tenant, { id: tenant.id }, { schemaVersion: ensured.schemaVersion }).then(() => undefined),
    };
  }

  private seedDefaults(tenant: Tenant, attempt: FencedAttempt): Promise<StepOutcome> {
    return attempt.transaction(async (manager) => {
      const locked = await this.lockTenant(manager, tenant.id);
      const plan = await this.plans.findOrFail(manager, locked.plan);
      const settings = { ...DEFAULT_TENANT_SETTINGS, companyName: locked.name, ...locked.settings };
      // The plan's modules whose settings are there; the others wait for the tenant admin to fill them in.
      const wanted = locked.enabledModules.length > 0 ? locked.enabledModules : plan.modules;
      const enabledModules = wanted.filter((module) => missingSettings(module, settings).length === 0);
      const waiting = wanted.filter((module) => !enabledModules.includes(module));
      await this.tenantSettings.seedWithin(manager, tenant.id, { enabledModules, settings });
      const later = waiting.length > 0 ? ` (${waiting.join(', ')} need more settings)` : '';
      return { detail: `modules ${enabledModules.join(', ') || '(none)'}${later}; settings ${Object.keys(settings).join(', ')}` };
    });
  }

  /** A self-service registrant (whose e-mail is proven) becomes tenant admin here; an invited admin joins by accepting. */
  private addAdmin(tenant: Tenant, attempt: FencedAttempt): Promise<StepOutcome> {
    return attempt.transaction(async (manager) => {
      const locked = await this.lockTenant(manager, tenant.id);
      if (!locked.adminUserId) return { detail: 'the admin was invited and joins by accepting', skipped: true };
      if (await this.directory.isMemberWithin(manager, tenant.id, locked.adminUserId)) {
        return { detail: `user ${locked.adminUserId} is already a member`, skipped: true };
      }
      await this.memberships.addWithin(manager, locked, locked.adminUserId, 'tenant_admin', { changes: { role: 'tenant_admin' } });
      return { detail: `user ${locked.adminUserId} is tenant admin` };
    });
  }

  /**
   * The status change commits with the step's record, so an active tenant never shows a running
   * step; the fence has locked the tenant and found it still `provisioning` under this attempt.
   */
  private async activate(tenant: Tenant): Promise<StepOutcome> {
    return {
      detail: 'active',
      commit: async (manager) => {
        await manager.update(Tenant, { id: tenant.id }, { status: 'active', failureReason: null });
        await this.audit.record(manager, {
          action: 'tenant.activate',
          targetType: 'tenant',
          targetId: tenant.id,
          tenantId: tenant.id,
          changes: { status: { from: 'provisioning', to: 'active' } },
        });
        await this.events.raise(manager, 'tenant.provisioned', null, { tenant: tenantSummary({ ...tenant, status: 'active' }) });
      },
    };
  }

  private async lockTenant(manager: EntityManager, tenantId: string): Promise<Tenant> {
    return manager.findOneOrFail(Tenant, { where: { id: tenantId }, lock: { mode: 'pessimistic_write' } });
  }
}
