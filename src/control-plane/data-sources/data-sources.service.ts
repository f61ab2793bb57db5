import { BadRequestException, ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  DataSourceSettings,
  DataSourceUnreachableError,
  EntityMapping,
  Introspection,
  sampleRestResources,
  testSource,
  validateMappings,
} from '../../../libs/byod';
import { SecretCipher } from '../../../libs/secrets';
import { AppConfig } from '../../platform/config/app-config';
import { mappableEntities } from '../../platform/tenant-modules/mappable-entities';
import { AuditService } from '../audit/audit.service';
import { Tenant } from '../schema/tenant.entity';
import { ConfigureDataSourceDto, RestConnectionDto, SqlConnectionDto } from './dto/configure-data-source.dto';
import { dataSourceSecretScope } from './data-source-secrets';
import { DataSourceMappingsDto, EntityMappingDto } from './dto/data-source-mappings.dto';
import { DataSourceDto, DataSourceTestDto, publicConnection } from './dto/data-source.dto';
import { TenantDataSource } from '../schema/tenant-data-source.entity';

/** Largest answer a REST source may give to the connection test. */
const MAX_TEST_RESPONSE_BYTES = 1024 * 1024;

/**
 * Onboarding of a `byod` tenant's own database or API: settings (stored encrypted), a test
 * that introspects the source, field mappings checked against that introspection, activation.
 */
@Injectable()
export class DataSourcesService {
  private readonly byod: AppConfig['byod'];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: SecretCipher,
    private readonly audit: AuditService,
    config: ConfigService<AppConfig, true>,
  ) {
    this.byod = config.get('byod', { infer: true });
  }

  /** New settings start over: the source must be tested (and its mappings re-checked) again before it is active. */
  async configure(tenantId: string, dto: ConfigureDataSourceDto): Promise<DataSourceDto> {
    const settings = settingsOf(dto);
    return this.dataSource.transaction(async (manager) => {
      await this.byodTenant(manager, tenantId);
      const existing = await manager.findOne(TenantDataSource, { where: { tenantId }, lock: { mode: 'pessimistic_write' } });
      const values = {
        tenantId,
        kind: settings.kind,
        settingsEncrypted: this.cipher.encrypt(JSON.stringify(settings), dataSourceSecretScope(tenantId)),
        readOnly: dto.readOnly,
        status: 'configured' as const,
        introspection: null,
        testedAt: null,
        activatedAt: null,
      };
      if (existing) await manager.update(TenantDataSource, { tenantId }, values);
      else await manager.insert(TenantDataSource, { ...values, mappings: null });
      await this.audit.record(manager, {
        action: existing ? 'data_source.update' : 'data_source.create',
        targetType: 'tenant_data_source',
        targetId: tenantId,
        tenantId,
        changes: {
          kind: settings.kind,
          readOnly: dto.readOnly,
          connection: publicConnection(settings),
          status: { from: existing?.status ?? null, to: 'configured' },
        },
      });
      return DataSourceDto.from(await manager.findOneByOrFail(TenantDataSource, { tenantId }), settings);
    });
  }

  async get(tenantId: string): Promise<DataSourceDto> {
    await this.byodTenant(this.dataSource.manager, tenantId);
    const { source, settings } = await this.load(this.dataSource.manager, tenantId);
    return DataSourceDto.from(source, settings);
  }

  /**
   * Connects outside any transaction (a slow source must not hold control-plane locks), then
   * records what it found unless the settings changed meanwhile. An active source stays active
   * only while its mappings still fit what the source now has.
   */
  async test(tenantId: string): Promise<DataSourceTestDto> {
    await this.byodTenant(this.dataSource.manager, tenantId);
    const tested = await this.load(this.dataSource.manager, tenantId);
    let result;
    try {
      result = await testSource(tested.settings, { ...this.byod, maxResponseBytes: MAX_TEST_RESPONSE_BYTES });
    } catch (error) {
      if (error instanceof DataSourceUnreachableError) throw new UnprocessableEntityException(error.message);
      throw error;
    }
    const { introspection, endpoint } = result;
    return this.dataSource.transaction(async (manager) => {
      const { source, settings } = await this.load(manager, tenantId, true);
      if (source.settingsEncrypted !== tested.source.settingsEncrypted)
        throw new ConflictException('The connection settings changed during the test; test again');
      const stillFits =
        source.status === 'active' &&
        source.mappings !== null &&
        validateMappings(mappableEntities(), introspection, source.mappings).length === 0;
      const status = stillFits ? 'active' : 'tested';
      const testedAt = new Date();
      await manager.update(
        TenantDataSource,
        { tenantId },
        { introspection, status, testedAt, ...(stillFits ? {} : { activatedAt: null }) },
      );
      await this.audit.record(manager, {
        action: 'data_source.test',
        targetType: 'tenant_data_source',
        targetId: tenantId,
        tenantId,
        changes: {
          status: { from: source.status, to: status },
          tables: introspection.tables.map((table) => table.name),
          ...(endpoint ? { endpointStatus: endpoint.status } : {}),
        },
      });
      const saved = await manager.findOneByOrFail(TenantDataSource, { tenantId });
      return { ...DataSourceDto.from(saved, settings), ...(endpoint ? { endpoint } : {}) };
    });
  }

  /** Stores the mappings only if every one fits the last introspection; otherwise a 422 names each problem. */
  async setMappings(tenantId: string, dto: DataSourceMappingsDto): Promise<DataSourceDto> {
    const mappings = mappingsOf(dto);
    const sampled = await this.sampleRestResources(tenantId, mappings);
    return this.dataSource.transaction(async (manager) => {
      await this.byodTenant(manager, tenantId);
      const { source, settings } = await this.load(manager, tenantId, true);
      if (!source.introspection)
        throw new ConflictException('Test the connection first (POST …/data-source/test): mappings are checked against what it finds');
      const introspection = sampled ?? source.introspection;
      const problems = validateMappings(mappableEntities(), introspection, mappings);
      if (problems.length > 0) {
        throw new UnprocessableEntityException({
          message: `The mappings do not fit the source: ${problems.map((p) => `${p.field} ${p.problems.join('; ')}`).join('; ')}`,
          details: problems,
        });
      }
      await manager.update(TenantDataSource, { tenantId }, { mappings, introspection });
      await this.audit.record(manager, {
        action: 'data_source.mappings',
        targetType: 'tenant_data_source',
        targetId: tenantId,
        tenantId,
        changes: { from: source.mappings, to: mappings },
      });
      return DataSourceDto.from(await manager.findOneByOrFail(TenantDataSource, { tenantId }), settings);
    });
  }

  async activate(tenantId: string): Promise<DataSourceDto> {
    return this.dataSource.transaction(async (manager) => {
      await this.byodTenant(manager, tenantId);
      const { source, settings } = await this.load(manager, tenantId, true);
      if (source.status === 'active') return DataSourceDto.from(source, settings);
      const missing: string[] = [];
      if (!source.introspection) missing.push('a successful connection test (POST …/data-source/test)');
      if (!source.mappings || Object.keys(source.mappings).length === 0) missing.push('field mappings (PUT …/data-source/mappings)');
      if (missing.length > 0) throw new ConflictException(`The data source cannot be activated yet: it needs ${missing.join(' and ')}`);
      const problems = validateMappings(mappableEntities(), source.introspection!, source.mappings!);
      if (problems.length > 0)
        throw new ConflictException({ message: 'The stored mappings no longer fit the source; map again', details: problems });
      const activatedAt = new Date();
      await manager.update(TenantDataSource, { tenantId }, { status: 'active', activatedAt });
      await this.audit.record(manager, {
        action: 'data_source.activate',
        targetType: 'tenant_data_source',
        targetId: tenantId,
        tenantId,
        changes: { status: { from: source.status, to: 'active' } },
      });
      return DataSourceDto.from({ ...source, status: 'active', activatedAt }, settings);
    });
  }

  /**
   * A REST source has no catalog: its mapped resources are sampled (outside any transaction, a
   * slow API must not hold control-plane locks) and the mappings checked against that sample.
   */
  private async sampleRestResources(tenantId: string, mappings: Record<string, EntityMapping>): Promise<Introspection | null> {
    await this.byodTenant(this.dataSource.manager, tenantId);
    const { settings } = await this.load(this.dataSource.manager, tenantId);
    if (settings.kind !== 'rest') return null;
    try {
      return await sampleRestResources(
        settings.connection,
        Object.values(mappings).map((mapping) => mapping.table),
        {
          ...this.byod,
          timeoutMs: this.byod.connectTimeoutMs,
          maxResponseBytes: MAX_TEST_RESPONSE_BYTES,
        },
      );
    } catch (error) {
      if (error instanceof DataSourceUnreachableError) throw new UnprocessableEntityException(error.message);
      throw error;
    }
  }

  private async byodTenant(manager: EntityManager, tenantId: string): Promise<Tenant> {
    const tenant = await manager.findOne(Tenant, { where: { id: tenantId } });
    if (!tenant || tenant.status === 'purged') throw new NotFoundException(`Tenant ${tenantId} not found`);
    if (tenant.placement !== 'byod') {
      throw new ConflictException(`Tenant "${tenant.slug}" is ${tenant.placement}; only a byod tenant has a data source of its own`);
    }
    return tenant;
  }

  private async load(
    manager: EntityManager,
    tenantId: string,
    forUpdate = false,
  ): Promise<{ source: TenantDataSource; settings: DataSourceSettings }> {
    const builder = manager
      .getRepository(TenantDataSource)
      .createQueryBuilder('source')
      .addSelect('source.settingsEncrypted')
      .where('source.tenantId = :tenantId', { tenantId });
    if (forUpdate) builder.setLock('pessimistic_write');
    const source = await builder.getOne();
    if (!source)
      throw new NotFoundException(
        'This tenant has no data source yet: set one first (PUT /api/tenant/data-source as its tenant admin, or PUT /control/tenants/{id}/data-source as a platform admin)',
      );
    const settings = JSON.parse(this.cipher.decrypt(source.settingsEncrypted, dataSourceSecretScope(tenantId))) as DataSourceSettings;
    return { source, settings };
  }
}

function settingsOf(dto: ConfigureDataSourceDto): DataSourceSettings {
  if (dto.kind === 'rest') {
    const { baseUrl, apiKey, headers, healthPath } = dto.connection as RestConnectionDto;
    return { kind: 'rest', connection: withoutUndefined({ baseUrl, apiKey, headers, healthPath }) };
  }
  const { host, port, database, user, password, schema, tls } = dto.connection as SqlConnectionDto;
  if (dto.kind === 'mysql' && schema !== undefined) {
    throw new BadRequestException({
      message: 'connection.schema is only for postgres',
      details: [{ field: 'connection.schema', problems: ['is only for postgres'] }],
    });
  }
  const connection = withoutUndefined({
    host,
    port,
    database,
    user,
    password,
    schema,
    tls: tls && { enabled: tls.enabled, rejectUnauthorized: tls.rejectUnauthorized },
  });
  return dto.kind === 'postgres' ? { kind: 'postgres', connection } : { kind: 'mysql', connection };
}

function mappingsOf(dto: DataSourceMappingsDto): Record<string, EntityMapping> {
  const mappings: Record<string, EntityMapping> = {};
  for (const [entity, mapping] of Object.entries(dto.entities) as Array<[string, EntityMappingDto | undefined]>) {
    if (mapping)
      mappings[entity] = withoutUndefined({
        table: mapping.table,
        fields: { ...mapping.fields },
        valueMaps: mapping.valueMaps && { ...mapping.valueMaps },
        validations: mapping.validations && { ...mapping.validations },
      });
  }
  return mappings;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined)) as T;
}
