import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { UserAccounts } from './user-accounts.service';

@Module({
  imports: [AuditModule],
  providers: [UserAccounts],
  exports: [UserAccounts],
})
export class UserAccountsModule {}
