import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { BulkImportLedger } from './bulk-import-ledger';

/** The control plane's record of tenants' bulk imports (the imports themselves are src/crm/bulk-transfer's). */
@Module({
  imports: [AuditModule],
  providers: [BulkImportLedger],
  exports: [BulkImportLedger],
})
export class BulkImportsModule {}
