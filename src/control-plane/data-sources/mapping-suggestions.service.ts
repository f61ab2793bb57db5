import { ConflictException, Injectable, UnprocessableEntityException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DataSourceSettings, DataSourceUnreachableError, Introspection, suggestMappings, withValueSampler } from '../../../libs/byod';
import { AppConfig } from '../../platform/config/app-config';
import { mappableEntities } from '../../platform/tenant-modules/mappable-entities';
import { DataSourceRecords } from './data-source-records';
import { MappingSuggestionsDto } from './dto/mapping-suggestions.dto';

/**
 * Proposes mappings from what the last test of a byod tenant's source (active or staged) found,
 * sampling a few distinct values of fixed-set columns with the test's timeouts. Nothing is stored
 * and nothing is audited: the proposal only becomes a mapping when an admin sends it to PUT …/mappings.
 */
@Injectable()
export class MappingSuggestionsService {
  private readonly byod: AppConfig['byod'];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: DataSourceRecords,
    config: ConfigService<AppConfig, true>,
  ) {
    this.byod = config.get('byod', { infer: true });
  }

  async forActive(tenantId: string): Promise<MappingSuggestionsDto> {
    await this.records.byodTenant(this.dataSource.manager, tenantId);
    const { source, settings } = await this.records.active(this.dataSource.manager, tenantId);
    return this.suggest(settings, source.introspection, 'POST …/data-source/test');
  }

  async forStaged(tenantId: string): Promise<MappingSuggestionsDto> {
    await this.records.byodTenant(this.dataSource.manager, tenantId);
    const { staged, settings } = await this.records.staged(this.dataSource.manager, tenantId);
    return this.suggest(settings, staged.introspection, 'POST …/data-source/staged/test');
  }

  /** Reads the source outside any transaction: a slow source must not hold control-plane locks. */
  private async suggest(settings: DataSourceSettings, introspection: Introspection | null, test: string): Promise<MappingSuggestionsDto> {
    if (!introspection) throw new ConflictException(`Test the connection first (${test}): suggestions come from what it finds`);
    try {
      return MappingSuggestionsDto.from(
        await withValueSampler(settings, introspection, this.byod, (sample) => suggestMappings(mappableEntities(), introspection, sample)),
      );
    } catch (error) {
      if (error instanceof DataSourceUnreachableError) throw new UnprocessableEntityException(error.message);
      throw error;
    }
  }
}
