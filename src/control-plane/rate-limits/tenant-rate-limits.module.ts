import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditModule } from '../audit/audit.module';
import { TenantRateLimitInterceptor } from './tenant-rate-limit.interceptor';
import { TenantRateLimitOverrides } from './tenant-rate-limit-overrides.service';
import { TenantRateLimits } from './tenant-rate-limits';
import { TenantRateLimitsController } from './tenant-rate-limits.controller';

/** The plans' request rate limits on /api, per tenant and per principal, and platform admins' overrides. */
@Module({
  imports: [AuditModule],
  controllers: [TenantRateLimitsController],
  providers: [TenantRateLimits, TenantRateLimitOverrides, { provide: APP_INTERCEPTOR, useClass: TenantRateLimitInterceptor }],
})
export class TenantRateLimitsModule {}
