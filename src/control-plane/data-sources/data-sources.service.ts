import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EntityMapping, Introspection } from '../../../libs/byod';
import { AuditService } from '../audit/audit.service';
import { TenantDataSource } from '../schema/tenant-data-source.entity';
import { DataSourceRecords } from './data-source-records';
import { mappingsOf, settingsOf } from './data-source-input';
import { ConfigureDataSourceDto } from './dto/configure-data-source.dto';
import { DataSourceMappingsDto } from './dto/data-source-mappings.dto';
import { DataSourceDto, DataSourceTestDto, publicConnection } from './dto/data-source.dto';
import { assertMappingsFit, mappingProblems } from './mapping-fit';
import { SourceProbe } from './source-probe';

/**
 * Onboarding of a `byod` tenant's own database or API: settings (stored encrypted), a test
 * that introspects the source, field mappings checked against that introspection, activation.
 */
@Injectable()
export class DataSourcesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: DataSourceRecords,
    private readonly probe: SourceProbe,
    private readonly audit: AuditService,
  ) {}

  /** New settings start over: the source must be tested (and its mappings re-checked) again before it is active. */
  async configure(tenantId: string, dto: ConfigureDataSourceDto): Promise<DataSourceDto> {
    const settings = settingsOf(dto);
    return this.dataSource.transaction(async (manager) => {
      await this.records.byodTenant(manager, tenantId);
      const existing = await manager.findOne(TenantDataSource, { where: { tenantId }, lock: { mode: 'pessimistic_write' } });
      const values = {
        tenantId,
        kind: settings.kind,
        settingsEncrypted: this.records.sealActive(tenantId, settings),
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
    await this.records.byodTenant(this.dataSource.manager, tenantId);
    const { source, settings } = await this.records.active(this.dataSource.manager, tenantId);
    return DataSourceDto.from(source, settings);
  }

  /**
   * Connects outside any transaction (a slow source must not hold control-plane locks), then
   * records what it found unless the settings changed meanwhile. An active source stays active
   * only while its mappings still fit what the source now has.
   */
  async test(tenantId: string): Promise<DataSourceTestDto> {
    await this.records.byodTenant(this.dataSource.manager, tenantId);
    const tested = await this.records.active(this.dataSource.manager, tenantId);
    const { introspection, endpoint } = await this.probe.test(tested.settings);
    return this.dataSource.transaction(async (manager) => {
      const { source, settings } = await this.records.active(manager, tenantId, true);
      if (source.settingsEncrypted !== tested.source.settingsEncrypted)
        throw new ConflictException('The connection settings changed during the test; test again');
      const stillFits =
        source.status === 'active' && source.mappings !== null && mappingProblems(introspection, source.mappings).length === 0;
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
      await this.records.byodTenant(manager, tenantId);
      const { source, settings } = await this.records.active(manager, tenantId, true);
      if (!source.introspection)
        throw new ConflictException('Test the connection first (POST …/data-source/test): mappings are checked against what it finds');
      const introspection = sampled ?? source.introspection;
      assertMappingsFit(introspection, mappings);
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
      await this.records.byodTenant(manager, tenantId);
      const { source, settings } = await this.records.active(manager, tenantId, true);
      if (source.status === 'active') return DataSourceDto.from(source, settings);
      const missing: string[] = [];
      if (!source.introspection) missing.push('a successful connection test (POST …/data-source/test)');
      if (!source.mappings || Object.keys(source.mappings).length === 0) missing.push('field mappings (PUT …/data-source/mappings)');
      if (missing.length > 0) throw new ConflictException(`The data source cannot be activated yet: it needs ${missing.join(' and ')}`);
      const problems = mappingProblems(source.introspection!, source.mappings!);
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

  /** A REST source's mapped resources, sampled outside any transaction (see SourceProbe); null for a database. */
  private async sampleRestResources(tenantId: string, mappings: Record<string, EntityMapping>): Promise<Introspection | null> {
    await this.records.byodTenant(this.dataSource.manager, tenantId);
    const { settings } = await this.records.active(this.dataSource.manager, tenantId);
    return this.probe.sample(settings, mappings);
  }
}
