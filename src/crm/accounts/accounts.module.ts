import { Module } from '@nestjs/common';
import { ByodModule } from '../mapped-sources/byod.module';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { AccountsStores } from './accounts-stores';
import { MappedAccountsStore } from './mapped-accounts.store';

@Module({
  imports: [CustomFieldsModule, ByodModule],
  controllers: [AccountsController],
  providers: [AccountsService, MappedAccountsStore, AccountsStores],
})
export class AccountsModule {}
