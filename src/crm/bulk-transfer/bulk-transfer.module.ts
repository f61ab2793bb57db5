import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { FastifyInstance } from 'fastify';
import { AccountsModule } from '../accounts/accounts.module';
import { BulkImportsModule } from '../../control-plane/bulk-imports/bulk-imports.module';
import { CurrentTenantSettingsModule } from '../../control-plane/tenant-settings/current-tenant-settings.module';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { ContactsModule } from '../contacts/contacts.module';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module';
import { InventoryModule } from '../inventory/inventory.module';
import { ByodModule } from '../mapped-sources/byod.module';
import { BULK_TRANSFER_MODULE } from './bulk-transfer.declaration';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';
import { ImportQueue } from './import-queue';
import { ImportRunner } from './import-runner';
import { acceptImportUploads } from './import-upload-parser';
import { ImportsController } from './imports.controller';
import { ImportsService } from './imports.service';
import { MappedRecordsWriter } from './mapped-records-writer';
import { OwnRecordsWriter } from './own-records-writer';
import { TransferAccess } from './transfer-access';

/** Bulk import (queued jobs) and export (streamed) of the records of the accounts, contacts and inventory modules. */
@Module({
  imports: [
    TenantModuleRegistration.forFeature(BULK_TRANSFER_MODULE),
    AccountsModule,
    ContactsModule,
    InventoryModule,
    CustomFieldsModule,
    CurrentTenantSettingsModule,
    ByodModule,
    BulkImportsModule,
  ],
  controllers: [ImportsController, ExportsController],
  providers: [ImportsService, ImportQueue, ImportRunner, OwnRecordsWriter, MappedRecordsWriter, ExportsService, TransferAccess],
})
export class BulkTransferModule implements OnModuleInit {
  constructor(private readonly http: HttpAdapterHost) {}

  /** Before the app listens (Fastify takes parsers until it is ready); the CLI and service tests have no HTTP. */
  onModuleInit(): void {
    const fastify = this.http.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify) acceptImportUploads(fastify);
  }
}
