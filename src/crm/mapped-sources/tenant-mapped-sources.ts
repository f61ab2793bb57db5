import { ConflictException, Injectable, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LRUCache } from 'lru-cache';
import {
  DataSourceSettings,
  FieldCodec,
  MappedCollection,
  MappedTable,
  resolveAllowedAddress,
  RestCollection,
  RestSource,
  SqlConnectionSettings,
  SqlSource,
  ValidatedCollection,
} from '../../../libs/byod';
import { SecretCipher } from '../../../libs/secrets';
import { TenantContext, TenantRecord } from '../../../libs/tenancy/tenant-context';
import { AppConfig } from '../../platform/config/app-config';
import { dataSourceSecretScope } from '../../control-plane/data-sources/data-source-secrets';
import { StoredTenantSource, TenantSourceSettings } from '../../control-plane/data-sources/tenant-source-settings';
import { keyFieldOf } from '../../platform/tenant-modules/mappable-entities';
import { minorUnitsCodec } from './minor-units-codec';

/** Fields holding amounts in minor units, which a decimal column holds in major units. */
const MINOR_UNIT_FIELDS = new Set(['price_selling_minor']);
/** A changed data source reaches every app process within this. */
const SETTINGS_TTL_MS = 5_000;
const POOL_SIZE = 4;
/** A page of 100 records with room to spare; larger answers are refused, not buffered. */
const REST_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/** Further attempts of an idempotent call to a REST source. */
const REST_RETRIES = 2;

export interface MappedEntity {
  table: MappedCollection;
  readOnly: boolean;
}

type OpenSource = { version: string; kind: 'sql'; source: SqlSource } | { version: string; kind: 'rest'; source: RestSource };

/**
 * The current `byod` tenant's entities, served from its own database through its active data
 * source's mapping. Each tenant gets one pool (behind a circuit breaker) for as long as its
 * settings do not change; its host passes the same network guard as at onboarding when the pool
 * opens. Concurrent first requests share one opening, and a pool replaced (new settings) or
 * evicted is closed only once the requests that may still hold it are over. A slow or dead
 * customer database only ever holds its own tenant's requests.
 */
@Injectable()
export class TenantMappedSources implements OnModuleDestroy {
  private readonly rows = new LRUCache<string, StoredTenantSource>({ max: 10_000, ttl: SETTINGS_TTL_MS });
  private readonly sources = new LRUCache<string, OpenSource>({ max: 500, dispose: (open) => this.closeLater(open) });
  private readonly opening = new Map<string, Promise<OpenSource>>();
  private readonly closing = new Set<OpenSource>();

  constructor(
    private readonly sourceSettings: TenantSourceSettings,
    private readonly cipher: SecretCipher,
    private readonly context: TenantContext,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  async entity(name: string): Promise<MappedEntity> {
    const tenant = this.context.require();
    const row = await this.activeSource(tenant);
    const mapping = row.mappings?.[name];
    if (!mapping || !row.introspection)
      throw new ConflictException(`The ${name} entity is not mapped to the data source of tenant "${tenant.slug}"`);
    const table = row.introspection.tables.find((candidate) => candidate.name === mapping.table);
    const codecs: Record<string, FieldCodec> = {};
    for (const field of Object.keys(mapping.fields).filter((name) => MINOR_UNIT_FIELDS.has(name))) {
      const codec = minorUnitsCodec(
        table!.columns.find((column) => column.name === mapping.fields[field])!,
        { jsonNumbers: row.kind === 'rest' },
      );
      if (codec) codecs[field] = codec;
    }
    const open = await this.sourceFor(tenant, row);
    const collection =
      open.kind === 'rest'
        ? new RestCollection(open.source, mapping, keyFieldOf(name), codecs)
        : new MappedTable(open.source, row.introspection, mapping, keyFieldOf(name), codecs);
    return { table: mapping.validations ? new ValidatedCollection(collection, mapping.validations) : collection, readOnly: row.readOnly };
  }

  async onModuleDestroy(): Promise<void> {
    const open = [...this.sources.values(), ...this.closing];
    this.sources.clear();
    this.closing.clear();
    await Promise.all(open.map(async (source) => source.source.close()));
  }

  private async activeSource(tenant: TenantRecord): Promise<StoredTenantSource> {
    const cached = this.rows.get(tenant.id);
    if (cached) return cached;
    const row = await this.sourceSettings.ofTenant(tenant.id);
    if (!row || row.status !== 'active') throw new ConflictException(`The data source of tenant "${tenant.slug}" is not active yet`);
    this.rows.set(tenant.id, row);
    return row;
  }

  private async sourceFor(tenant: TenantRecord, row: StoredTenantSource): Promise<OpenSource> {
    // Only new settings need a new pool; a test or new mappings (which also touch the row) do not.
    const version = row.settingsEncrypted;
    const open = this.sources.get(tenant.id);
    if (open?.version === version) return open;
    const key = `${tenant.id}:${version}`;
    let pending = this.opening.get(key);
    if (!pending) {
      pending = this.open(tenant, version).finally(() => this.opening.delete(key));
      this.opening.set(key, pending);
    }
    return pending;
  }

  private async open(tenant: TenantRecord, version: string): Promise<OpenSource> {
    const settings = JSON.parse(this.cipher.decrypt(version, dataSourceSecretScope(tenant.id))) as DataSourceSettings;
    const byod = this.config.get('byod', { infer: true });
    const opened: OpenSource =
      settings.kind === 'rest'
        ? {
            version,
            kind: 'rest',
            source: new RestSource(settings.connection, {
              ...byod,
              timeoutMs: byod.connectTimeoutMs,
              maxResponseBytes: REST_MAX_RESPONSE_BYTES,
              retries: REST_RETRIES,
              breakerResetMs: byod.breakerResetMs,
            }),
          }
        : { version, kind: 'sql', source: await this.openSql(settings.kind, settings.connection, byod) };
    this.sources.set(tenant.id, opened);
    return opened;
  }

  /** Every call on a source ends within its timeouts (a REST call with its retries), so after those it is unused. */
  private closeLater(open: OpenSource): void {
    const { connectTimeoutMs } = this.config.get('byod', { infer: true });
    this.closing.add(open);
    setTimeout(
      () => {
        if (this.closing.delete(open)) void open.source.close();
      },
      2 * (REST_RETRIES + 1) * connectTimeoutMs,
    ).unref();
  }

  private async openSql(dialect: 'postgres' | 'mysql', connection: SqlConnectionSettings, byod: AppConfig['byod']): Promise<SqlSource> {
    const { address } = await resolveAllowedAddress(connection.host, byod);
    return new SqlSource(dialect, connection, {
      address,
      connectTimeoutMs: byod.connectTimeoutMs,
      queryTimeoutMs: byod.connectTimeoutMs,
      poolSize: POOL_SIZE,
      breakerResetMs: byod.breakerResetMs,
    });
  }
}
