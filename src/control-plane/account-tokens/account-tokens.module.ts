import { Module } from '@nestjs/common';
import { AccountTokensService } from './account-tokens.service';

@Module({ providers: [AccountTokensService], exports: [AccountTokensService] })
export class AccountTokensModule {}
