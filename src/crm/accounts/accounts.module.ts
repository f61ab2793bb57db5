import { Module } from '@nestjs/common';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { ByodModule } from '../mapped-sources/byod.module';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { AccountsStores } from './accounts-stores';
import { MappedAccountsStore } from './mapped-accounts.store';
import { ACCOUNTS_MODULE } from './accounts.declaration';

@Module({
  imports: [TenantModuleRegistration.forFeature(ACCOUNTS_MODULE), CustomFieldsModule, ByodModule],
  controllers: [AccountsController],
  providers: [AccountsService, MappedAccountsStore, AccountsStores],
  exports: [AccountsStores, MappedAccountsStore],
})
export class AccountsModule {}
