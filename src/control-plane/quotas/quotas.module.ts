import { Module } from '@nestjs/common';
import { UsageModule } from '../usage/usage.module';
import { TenantQuotaGuard } from './tenant-quota.guard';
import { TenantQuotaStandings } from './tenant-quota-standings';

/** The plans' storage and monthly API-call quotas on /api, from cached figures that pushed changes refresh. */
@Module({
  imports: [UsageModule],
  providers: [TenantQuotaStandings, TenantQuotaGuard],
  // AuthModule puts the guard right after the rate-limit guard.
  exports: [TenantQuotaGuard],
})
export class QuotasModule {}
