import { Injectable } from '@nestjs/common';
import { MappedCollection } from '../../../libs/byod';

/** A tenant's active data source, open for one sync run. */
export interface OpenSyncSource {
  /** The data-source revision it was opened at: the run's results belong to that revision only. */
  revision: number;
  /** False while the source's circuit breaker is open (it failed repeatedly): the run must not call it. */
  available: boolean;
  /** Each mapped entity (e.g. `contact`) as a collection in our field names. */
  entities: Array<{ name: string; collection: MappedCollection }>;
}

/**
 * How the sync reaches a byod tenant's system. Serving mapped entities belongs to the domain tier,
 * above the control plane; it provides the reader here (SourceSyncReaders.provide) so the sync
 * shares its pools and circuit breakers without the control plane importing it.
 */
export interface SourceSyncReader {
  read<T>(tenantId: string, work: (source: OpenSyncSource) => Promise<T>): Promise<T>;
}

/** Where the domain tier plugs its reader in, from its module's `onModuleInit`. */
@Injectable()
export class SourceSyncReaders {
  private reader?: SourceSyncReader;

  provide(reader: SourceSyncReader): void {
    this.reader = reader;
  }

  get current(): SourceSyncReader {
    if (!this.reader) throw new Error('No source sync reader was provided: the byod module is not loaded in this process');
    return this.reader;
  }
}
