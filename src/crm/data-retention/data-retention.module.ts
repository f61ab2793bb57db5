import { Module } from '@nestjs/common';
import { TenantArchivesModule } from '../../control-plane/tenant-archives/tenant-archives.module';
import { DataRetention } from './data-retention';
import { DataRetentionQueue } from './data-retention-queue';
import { DataRetentionWorker } from './data-retention.worker';

/** The scheduled purge of the data audit and soft-deleted records past the plans' retention. */
@Module({
  imports: [TenantArchivesModule],
  providers: [DataRetentionQueue, DataRetention, DataRetentionWorker],
})
export class DataRetentionModule {}
