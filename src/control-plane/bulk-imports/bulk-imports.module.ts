import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DatabaseServersModule } from '../database-servers/database-servers.module';
import { PlacementModule } from '../placement/placement.module';
import { BulkImportLedger } from './bulk-import-ledger';
import { ImportTableStatistics } from './import-table-statistics';

/** The control plane's record of tenants' bulk imports (the imports themselves are src/crm/bulk-transfer's). */
@Module({
  imports: [AuditModule, DatabaseServersModule, PlacementModule],
  providers: [BulkImportLedger, ImportTableStatistics],
  exports: [BulkImportLedger, ImportTableStatistics],
})
export class BulkImportsModule {}
