import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { UserAccountsModule } from './user-accounts.module';
import { PasswordHasher } from './password-hasher';
import { SecondFactors } from './second-factors';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [AuditModule, SessionsModule, UserAccountsModule],
  controllers: [UsersController],
  providers: [UsersService, PasswordHasher, SecondFactors],
  exports: [UsersService, PasswordHasher, SecondFactors, UserAccountsModule],
})
export class UsersModule {}
