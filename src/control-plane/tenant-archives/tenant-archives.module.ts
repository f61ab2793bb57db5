import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { TenantsModule } from '../tenants/tenants.module';
import { ArchiveStorage } from './archive-storage';
import { TenantArchiveQueue } from './tenant-archive-queue';
import { TenantArchivesController } from './tenant-archives.controller';
import { TenantArchivesService } from './tenant-archives.service';
import { TenantArchivesWorker } from './tenant-archives.worker';
import { TenantBackupPruning } from './tenant-backup-pruning';
import { TenantBackupSweep } from './tenant-backup-sweep';
import { TenantDataSessions } from './tenant-data-sessions';
import { TenantExporter } from './tenant-exporter';
import { TenantExportsController } from './tenant-exports.controller';
import { TenantRestorer } from './tenant-restorer';
import { TenantRetentionPolicies } from './tenant-retention-policies';
import { TenantRestoresService } from './tenant-restores.service';

/** Tenant archives: exports, scheduled backups and restores, written and restored by queued, fenced jobs. */
@Module({
  imports: [AuditModule, TenantsModule, ProvisioningModule],
  controllers: [TenantArchivesController, TenantExportsController],
  providers: [
    ArchiveStorage,
    TenantArchiveQueue,
    TenantArchivesService,
    TenantRestoresService,
    TenantDataSessions,
    TenantExporter,
    TenantRestorer,
    TenantBackupPruning,
    TenantBackupSweep,
    TenantArchivesWorker,
    TenantRetentionPolicies,
  ],
  exports: [TenantDataSessions, TenantRetentionPolicies],
})
export class TenantArchivesModule {}
