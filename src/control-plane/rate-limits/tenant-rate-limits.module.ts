import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TenantRateLimitGuard } from './tenant-rate-limit.guard';
import { TenantRateLimitOverrides } from './tenant-rate-limit-overrides.service';
import { TenantRateLimits } from './tenant-rate-limits';
import { TenantRateLimitsController } from './tenant-rate-limits.controller';

/** The plans' request rate limits on /api, per tenant and per principal, and platform admins' overrides. */
@Module({
  imports: [AuditModule],
  controllers: [TenantRateLimitsController],
  providers: [TenantRateLimits, TenantRateLimitOverrides, TenantRateLimitGuard],
  // AuthModule puts the guard right after the access guard.
  exports: [TenantRateLimitGuard, TenantRateLimits],
})
export class TenantRateLimitsModule {}
