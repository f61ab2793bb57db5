import { ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { MappingProblem } from '../../../libs/byod';
import { AuditService } from '../audit/audit.service';
import { TenantDataSource } from '../schema/tenant-data-source.entity';
import { TenantStagedDataSource } from '../schema/tenant-staged-data-source.entity';
import { DataSourceRecords } from './data-source-records';
import { mappingsOf, settingsOf } from './data-source-input';
import { ConfigureDataSourceDto } from './dto/configure-data-source.dto';
import { DataSourceMappingsDto } from './dto/data-source-mappings.dto';
import { DataSourceDto, publicConnection } from './dto/data-source.dto';
import { StagedDataSourceDto, StagedDataSourceTestDto } from './dto/staged-data-source.dto';
import { assertMappingsFit, describeProblems, mappingProblems } from './mapping-fit';
import { SourceProbe } from './source-probe';

/**
 * Moving a byod tenant to a new source without downtime: new settings are staged beside its data
 * source, tested and mapped with the same checks as the data source itself while that keeps
 * serving, then switched to in one control-plane transaction.
 */
@Injectable()
export class StagedDataSourcesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: DataSourceRecords,
    private readonly probe: SourceProbe,
    private readonly audit: AuditService,
  ) {}

  /** New staged settings start over (to be tested again); staged mappings stay, to be checked against the next test. */
  async stage(tenantId: string, dto: ConfigureDataSourceDto): Promise<StagedDataSourceDto> {
    const settings = settingsOf(dto);
    return this.dataSource.transaction(async (manager) => {
      await this.records.byodTenant(manager, tenantId);
      // Locking the data source orders staging after a switch in progress; it also answers 404 when there is none to replace.
      await this.records.active(manager, tenantId, true);
      const existing = await manager.findOne(TenantStagedDataSource, { where: { tenantId } });
      const values = {
        tenantId,
        kind: settings.kind,
        settingsEncrypted: this.records.sealStaged(tenantId, settings),
        readOnly: dto.readOnly,
        introspection: null,
        testedAt: null,
      };
      if (existing) await manager.update(TenantStagedDataSource, { tenantId }, values);
      else await manager.insert(TenantStagedDataSource, { ...values, mappings: null });
      await this.audit.record(manager, {
        action: existing ? 'data_source.staged.update' : 'data_source.staged.create',
        targetType: 'tenant_data_source',
        targetId: tenantId,
        tenantId,
        changes: { kind: settings.kind, readOnly: dto.readOnly, connection: publicConnection(settings) },
      });
      const saved = await manager.findOneByOrFail(TenantStagedDataSource, { tenantId });
      return StagedDataSourceDto.from(saved, settings, whatTheSwitchNeeds(saved).missing);
    });
  }

  async get(tenantId: string): Promise<StagedDataSourceDto> {
    await this.records.byodTenant(this.dataSource.manager, tenantId);
    const { staged, settings } = await this.records.staged(this.dataSource.manager, tenantId);
    return StagedDataSourceDto.from(staged, settings, whatTheSwitchNeeds(staged).missing);
  }

  /**
   * Tests the staged settings like the data source's own (outside any transaction) and records what
   * it found unless they changed meanwhile. With no staged mappings yet, the data source's current
   * mappings are staged when they fit what the test found: a copy of the same schema needs no
   * mapping again.
   */
  async test(tenantId: string): Promise<StagedDataSourceTestDto> {
    await this.records.byodTenant(this.dataSource.manager, tenantId);
    const tested = await this.records.staged(this.dataSource.manager, tenantId);
    const { introspection, endpoint } = await this.probe.test(tested.settings);
    return this.dataSource.transaction(async (manager) => {
      const { source } = await this.records.active(manager, tenantId);
      const { staged, settings } = await this.records.staged(manager, tenantId, true);
      if (staged.settingsEncrypted !== tested.staged.settingsEncrypted)
        throw new ConflictException('The staged settings changed during the test; test again');
      const copied = staged.mappings === null && source.mappings !== null && mappingProblems(introspection, source.mappings).length === 0;
      await manager.update(
        TenantStagedDataSource,
        { tenantId },
        { introspection, testedAt: new Date(), ...(copied ? { mappings: source.mappings } : {}) },
      );
      await this.audit.record(manager, {
        action: 'data_source.staged.test',
        targetType: 'tenant_data_source',
        targetId: tenantId,
        tenantId,
        changes: {
          tables: introspection.tables.map((table) => table.name),
          ...(endpoint ? { endpointStatus: endpoint.status } : {}),
          ...(copied ? { mappingsCopiedFromDataSource: true } : {}),
        },
      });
      const saved = await manager.findOneByOrFail(TenantStagedDataSource, { tenantId });
      return { ...StagedDataSourceDto.from(saved, settings, whatTheSwitchNeeds(saved).missing), ...(endpoint ? { endpoint } : {}) };
    });
  }

  /** The same checks as the data source's mappings, against the staged test (a REST source's resources sampled). */
  async setMappings(tenantId: string, dto: DataSourceMappingsDto): Promise<StagedDataSourceDto> {
    const mappings = mappingsOf(dto);
    await this.records.byodTenant(this.dataSource.manager, tenantId);
    const sampledFrom = await this.records.staged(this.dataSource.manager, tenantId);
    const sampled = await this.probe.sample(sampledFrom.settings, mappings);
    return this.dataSource.transaction(async (manager) => {
      const { staged, settings } = await this.records.staged(manager, tenantId, true);
      if (staged.settingsEncrypted !== sampledFrom.staged.settingsEncrypted)
        throw new ConflictException('The staged settings changed meanwhile; map again');
      if (!staged.introspection)
        throw new ConflictException(
          'Test the staged settings first (POST …/data-source/staged/test): mappings are checked against what it finds',
        );
      const introspection = sampled ?? staged.introspection;
      assertMappingsFit(introspection, mappings);
      await manager.update(TenantStagedDataSource, { tenantId }, { mappings, introspection });
      await this.audit.record(manager, {
        action: 'data_source.staged.mappings',
        targetType: 'tenant_data_source',
        targetId: tenantId,
        tenantId,
        changes: { from: staged.mappings, to: mappings },
      });
      const saved = await manager.findOneByOrFail(TenantStagedDataSource, { tenantId });
      return StagedDataSourceDto.from(saved, settings, whatTheSwitchNeeds(saved).missing);
    });
  }

  async discard(tenantId: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.records.byodTenant(manager, tenantId);
      const { staged, settings } = await this.records.staged(manager, tenantId, true);
      await manager.delete(TenantStagedDataSource, { tenantId });
      await this.audit.record(manager, {
        action: 'data_source.staged.discard',
        targetType: 'tenant_data_source',
        targetId: tenantId,
        tenantId,
        changes: { kind: staged.kind, connection: publicConnection(settings) },
      });
    });
  }

  /**
   * In one transaction the staged settings, introspection and mappings become the active data
   * source and the staged row is gone: every read of the data source sees either the old one or
   * the new one, never a mix, and is never without an active one.
   */
  async switch(tenantId: string): Promise<DataSourceDto> {
    return this.dataSource.transaction(async (manager) => {
      await this.records.byodTenant(manager, tenantId);
      const { source, settings: before } = await this.records.active(manager, tenantId, true);
      const { staged, settings } = await this.records.staged(manager, tenantId, true);
      const { missing, problems } = whatTheSwitchNeeds(staged);
      if (missing.length > 0) {
        throw new ConflictException({
          message: `The staged data source cannot be switched to yet: it needs ${missing.join(' and ')}`,
          ...(problems.length > 0 ? { details: problems } : {}),
        });
      }
      await manager.update(
        TenantDataSource,
        { tenantId },
        {
          kind: staged.kind,
          // Re-encrypted under the data source's own scope: only this step turns staged settings into serving ones.
          settingsEncrypted: this.records.sealActive(tenantId, settings),
          readOnly: staged.readOnly,
          status: 'active',
          introspection: staged.introspection,
          mappings: staged.mappings,
          testedAt: staged.testedAt,
          activatedAt: new Date(),
        },
      );
      await manager.delete(TenantStagedDataSource, { tenantId });
      await this.audit.record(manager, {
        action: 'data_source.switch',
        targetType: 'tenant_data_source',
        targetId: tenantId,
        tenantId,
        changes: {
          kind: { from: source.kind, to: staged.kind },
          readOnly: { from: source.readOnly, to: staged.readOnly },
          connection: { from: publicConnection(before), to: publicConnection(settings) },
          status: { from: source.status, to: 'active' },
          mappings: { from: source.mappings, to: staged.mappings },
        },
      });
      return DataSourceDto.from(await manager.findOneByOrFail(TenantDataSource, { tenantId }), settings);
    });
  }
}

/** What the switch still needs of the staged source (empty: ready), and the mapping problems among it. */
function whatTheSwitchNeeds(staged: TenantStagedDataSource): { missing: string[]; problems: MappingProblem[] } {
  const missing: string[] = [];
  if (!staged.introspection) missing.push('a successful test of the staged settings (POST …/data-source/staged/test)');
  if (!staged.mappings || Object.keys(staged.mappings).length === 0) {
    missing.push('field mappings (PUT …/data-source/staged/mappings)');
    return { missing, problems: [] };
  }
  const problems = staged.introspection ? mappingProblems(staged.introspection, staged.mappings) : [];
  if (problems.length > 0) missing.push(`mappings that fit the staged source (${describeProblems(problems)})`);
  return { missing, problems };
}
