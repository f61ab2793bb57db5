import { ConflictException, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import {
  DataSourceSettings,
  FieldCodec,
  MappedCollection,
  MappedTable,
  ConfirmedWrite,
  ObservedCollection,
  resolveAllowedAddress,
  RestCollection,
  RestSource,
  SqlConnectionSettings,
  SqlSource,
  ValidatedCollection,
} from '../../../libs/byod';
import { SecretCipher } from '../../../libs/secrets';
import { DataSourceRegistry, PoolSpec } from '../../../libs/tenancy/data-source-registry';
import { TenantContext, TenantRecord } from '../../../libs/tenancy/tenant-context';
import { AppConfig } from '../../platform/config/app-config';
import { dataSourceSecretScope } from '../../control-plane/data-sources/data-source-secrets';
import { DataSourceChangeFeed } from '../../control-plane/data-sources/data-source-change-feed';
import { StoredTenantSource, TenantSourceSettings } from '../../control-plane/data-sources/tenant-source-settings';
import { SourceDataAudit } from '../../control-plane/audit/source-data-audit';
import { apiFieldName } from '../../platform/tenant-modules/api-field-name';
import { keyFieldOf, mappableEntities } from '../../platform/tenant-modules/mappable-entities';
import { BYOD_STATE_CHANGES } from '../domain-events/crm-event-catalog';
import { minorUnitsCodec } from './minor-units-codec';
import { OpenSourcesWatch } from './open-sources-watch';

const SQL_POOL_SIZE = 4;
/** A REST source's keep-alive socket, counted like a database connection. */
const REST_POOL_SIZE = 1;
/** A page of 100 records with room to spare; larger answers are refused, not buffered. */
const REST_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Further attempts of an idempotent call to a REST source. */
const REST_RETRIES = 2;

export interface MappedEntity {
  table: MappedCollection;
  readOnly: boolean;
}

/** A tenant's active source as a background sync reads it: every mapped entity, unwrapped (reads only), and its breaker's state. */
export interface SourceForSync {
  revision: number;
  /** False while the source's circuit breaker is open: calls would be answered at once with an error. */
  available: boolean;
  entities: Array<{ name: string; collection: MappedCollection }>;
}

type OpenSource = ({ kind: 'sql'; source: SqlSource } | { kind: 'rest'; source: RestSource }) & { destroy(): Promise<void> };

/**
 * The current `byod` tenant's entities, served from its own database through its active data
 * source's mapping.
 *
 * Every request compares the revision of the tenant's data source (a trigger moves it on at every
 * change), so once a change has committed no request is served by what it replaced: settings,
 * read-only flag, mappings, rules or activation. The change feed also announces each change, so a
 * process that serves no request meanwhile drops the replaced source too.
 *
 * Each tenant's source is one pool (behind a circuit breaker) per settings, held in the process's
 * DataSourceRegistry: it counts against the connection budget, is closed when idle, and a pool on
 * replaced settings is drained (closed once the requests holding it are over). Its host passes the
 * same network guard as at onboarding when the pool opens. A slow or dead customer database only
 * ever holds its own tenant's requests. Every write the customer's system confirms is audited in
 * the control plane (SourceDataAudit): a byod tenant has no database of ours.
 */
@Injectable()
export class TenantMappedSources {
  private readonly logger = new Logger(TenantMappedSources.name);
  /** The active source of each tenant served lately, as of its revision. */
  private readonly current = new LRUCache<string, StoredTenantSource>({ max: 10_000 });

  constructor(
    private readonly sourceSettings: TenantSourceSettings,
    private readonly registry: DataSourceRegistry,
    private readonly cipher: SecretCipher,
    private readonly context: TenantContext,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly audit: SourceDataAudit,
    private readonly watch: OpenSourcesWatch,
    changes: DataSourceChangeFeed,
  ) {
    changes.onChanged((tenantId) => void this.recheck(tenantId));
    changes.onAnythingMayHaveChanged(() => {
      for (const tenantId of [...this.current.keys()]) void this.recheck(tenantId);
    });
  }

  /** Runs `work` on one entity of the current tenant; its pool stays open until `work` is over. */
  async use<T>(name: string, work: (entity: MappedEntity) => Promise<T>): Promise<T> {
    const tenant = this.context.require();
    const row = await this.activeSource(tenant);
    const mapping = row.mappings?.[name];
    if (!mapping || !row.introspection)
      throw new ConflictException(`The ${name} entity is not mapped to the data source of tenant "${tenant.slug}"`);
    const lease = await this.registry.acquirePool(this.poolSpec(tenant, row));
    try {
      const collection = this.collectionOf(lease.pool, row, name);
      const validated = mapping.validations ? new ValidatedCollection(collection, mapping.validations) : collection;
      const table = new ObservedCollection(validated, keyFieldOf(name), (write) => this.audited(tenant, name, write));
      return await work({ table, readOnly: row.readOnly });
    } finally {
      lease.release();
    }
  }

  /**
   * Runs `work` on every mapped entity of `tenant`'s active source, through the same pool (and so
   * the same circuit breaker) as its requests in this process. For background work, which has no
   * request to take the tenant from.
   */
  async forSync<T>(tenant: TenantRecord, work: (source: SourceForSync) => Promise<T>): Promise<T> {
    const row = await this.activeSource(tenant);
    const lease = await this.registry.acquirePool(this.poolSpec(tenant, row));
    try {
      const entities = Object.keys(row.mappings ?? {}).map((name) => ({ name, collection: this.collectionOf(lease.pool, row, name) }));
      return await work({ revision: row.revision, available: lease.pool.source.available, entities });
    } finally {
      lease.release();
    }
  }

  private collectionOf(open: OpenSource, row: StoredTenantSource, name: string): MappedCollection {
    const mapping = row.mappings![name];
    const codecs = this.codecsOf(row, name);
    return open.kind === 'rest'
      ? new RestCollection(open.source, mapping, keyFieldOf(name), codecs)
      : new MappedTable(open.source, row.introspection!, mapping, keyFieldOf(name), codecs);
  }

  /**
   * The write is already done in the customer's system: an entry that cannot be recorded must not
   * turn it into an error (a retry would repeat it), so it is logged in full instead.
   */
  private async audited(tenant: TenantRecord, entity: string, write: ConfirmedWrite): Promise<void> {
    const changes = Object.fromEntries(Object.entries(write.changes).map(([field, value]) => [apiFieldName(field), value]));
    const change = { entity, entityId: write.key, action: write.action, changes };
    try {
      await this.audit.record(tenant.id, change, write.action === 'update' ? (BYOD_STATE_CHANGES[entity] ?? []) : []);
    } catch (error) {
      this.logger.error(`Could not audit a write of tenant ${tenant.id}: ${(error as Error).message}; ${JSON.stringify(change)}`);
    }
  }

  private async activeSource(tenant: TenantRecord): Promise<StoredTenantSource> {
    const cached = this.current.get(tenant.id);
    const revision = await this.sourceSettings.revisionOf(tenant.id);
    if (cached && cached.revision === revision) return cached;
    const row = revision === null ? null : await this.sourceSettings.ofTenant(tenant.id);
    this.keep(tenant.id, row);
    if (!row || row.status !== 'active') throw new ConflictException(`The data source of tenant "${tenant.slug}" is not active yet`);
    return row;
  }

  /** A change was announced: take it in now, so a replaced pool does not wait for a request to be drained. */
  private async recheck(tenantId: string): Promise<void> {
    if (!this.current.has(tenantId)) return;
    try {
      this.keep(tenantId, await this.sourceSettings.ofTenant(tenantId));
    } catch (error) {
      // The next request compares the revision anyway; only the early drain is lost.
      this.logger.warn(`Could not recheck the data source of tenant ${tenantId}: ${(error as Error).message}`);
    }
  }

  /**
   * Keeps `row` as the tenant's source if it is active and not older than the one kept; a pool on
   * settings the tenant no longer has is drained.
   */
  private keep(tenantId: string, row: StoredTenantSource | null): void {
    const previous = this.current.get(tenantId);
    if (previous && row && row.revision < previous.revision) return;
    const active = row?.status === 'active' ? row : null;
    if (active) this.current.set(tenantId, active);
    else this.current.delete(tenantId);
    if (previous && previous.settingsEncrypted !== active?.settingsEncrypted) void this.registry.evict(poolKey(tenantId, previous));
  }

  private codecsOf(row: StoredTenantSource, entity: string): Record<string, FieldCodec> {
    const mapping = row.mappings![entity];
    const table = row.introspection!.tables.find((candidate) => candidate.name === mapping.table);
    const definitions = mappableEntities()[entity];
    const codecs: Record<string, FieldCodec> = {};
    // A field counting hundredths (minor units) is held in whole units by a decimal column.
    for (const field of Object.keys(mapping.fields).filter((name) => definitions[name]?.decimalPlaces === 2)) {
      const codec = minorUnitsCodec(
        table!.columns.find((column) => column.name === mapping.fields[field])!,
        {
          jsonNumbers: row.kind === 'rest',
        },
      );
      if (codec) codecs[field] = codec;
    }
    return codecs;
  }

  private poolSpec(tenant: TenantRecord, row: StoredTenantSource): PoolSpec<OpenSource> {
    return {
      key: poolKey(tenant.id, row),
      poolSize: row.kind === 'rest' ? REST_POOL_SIZE : SQL_POOL_SIZE,
      open: () => this.open(tenant, row.settingsEncrypted),
    };
  }

  private async open(tenant: TenantRecord, settingsEncrypted: string): Promise<OpenSource> {
    const open = await this.opened(tenant, settingsEncrypted);
    this.watch.watch(open.source, tenant);
    return {
      ...open,
      destroy: () => {
        this.watch.forget(open.source);
        return open.destroy();
      },
    };
  }

  private async opened(tenant: TenantRecord, settingsEncrypted: string): Promise<OpenSource> {
    const settings = JSON.parse(this.cipher.decrypt(settingsEncrypted, dataSourceSecretScope(tenant.id))) as DataSourceSettings;
    const byod = this.config.get('byod', { infer: true });
    if (settings.kind === 'rest') {
      const source = new RestSource(settings.connection, {
        ...byod,
        timeoutMs: byod.connectTimeoutMs,
        maxResponseBytes: REST_MAX_RESPONSE_BYTES,
        retries: REST_RETRIES,
        breakerResetMs: byod.breakerResetMs,
      });
      return {
        kind: 'rest',
        source,
        destroy: () => {
          source.close();
          return Promise.resolve();
        },
      };
    }
    const source = await this.openSql(settings.kind, settings.connection, byod);
    return { kind: 'sql', source, destroy: () => source.close() };
  }

  private async openSql(dialect: 'postgres' | 'mysql', connection: SqlConnectionSettings, byod: AppConfig['byod']): Promise<SqlSource> {
    const { address } = await resolveAllowedAddress(connection.host, byod);
    return new SqlSource(dialect, connection, {
      address,
      connectTimeoutMs: byod.connectTimeoutMs,
      queryTimeoutMs: byod.connectTimeoutMs,
      poolSize: SQL_POOL_SIZE,
      breakerResetMs: byod.breakerResetMs,
    });
  }
}

/** One pool per tenant and settings: new settings open a new pool beside the one being drained. */
function poolKey(tenantId: string, row: StoredTenantSource): string {
  return `byod:${tenantId}:${createHash('sha256').update(row.settingsEncrypted).digest('hex').slice(0, 16)}`;
}
