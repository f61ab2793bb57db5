import { Injectable, UnprocessableEntityException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  DataSourceSettings,
  DataSourceUnreachableError,
  EntityMapping,
  Introspection,
  sampleRestResources,
  SourceTestResult,
  testSource,
} from '../../../libs/byod';
import { AppConfig } from '../../platform/config/app-config';

/** Largest answer a REST source may give to the connection test. */
const MAX_TEST_RESPONSE_BYTES = 1024 * 1024;

/**
 * Reaches a customer's source for onboarding (its test, a REST source's samples) through the
 * network guard and short timeouts; a source that cannot be reached or read is a 422 naming the
 * problem, never a secret. Called outside any transaction: a slow source must not hold
 * control-plane locks.
 */
@Injectable()
export class SourceProbe {
  private readonly byod: AppConfig['byod'];

  constructor(config: ConfigService<AppConfig, true>) {
    this.byod = config.get('byod', { infer: true });
  }

  async test(settings: DataSourceSettings): Promise<SourceTestResult> {
    return this.unreachableAs422(() => testSource(settings, { ...this.byod, maxResponseBytes: MAX_TEST_RESPONSE_BYTES }));
  }

  /**
   * A REST source has no catalog: its mapped resources are sampled and the mappings are checked
   * against that sample. Null for a database, whose test already introspected it.
   */
  async sample(settings: DataSourceSettings, mappings: Record<string, EntityMapping>): Promise<Introspection | null> {
    if (settings.kind !== 'rest') return null;
    return this.unreachableAs422(() =>
      sampleRestResources(
        settings.connection,
        Object.values(mappings).map((mapping) => mapping.table),
        { ...this.byod, timeoutMs: this.byod.connectTimeoutMs, maxResponseBytes: MAX_TEST_RESPONSE_BYTES },
      ),
    );
  }

  private async unreachableAs422<T>(reach: () => Promise<T>): Promise<T> {
    try {
      return await reach();
    } catch (error) {
      if (error instanceof DataSourceUnreachableError) throw new UnprocessableEntityException(error.message);
      throw error;
    }
  }
}
