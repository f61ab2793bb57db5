import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { PlanQuotasModule } from '../plans/plan-quotas.module';
import { TenantsModule } from '../tenants/tenants.module';
import { TenantUsageController } from './tenant-usage.controller';
import { TenantUsageMeasurer } from './tenant-usage-measurer';
import { UsageController } from './usage.controller';
import { UsageMeasurements } from './usage-measurements.service';
import { UsageMeter } from './usage-meter';
import { UsageHttpHook } from './usage-http-hook';
import { UsageQueue } from './usage-queue';
import { UsageReports } from './usage-reports.service';
import { UsageStore } from './usage-store';
import { UsageWorker } from './usage.worker';

/** Usage metering per tenant per day: requests counted as they are answered, rows and storage measured by a daily job. */
@Module({
  imports: [AuditModule, PlanQuotasModule, TenantsModule],
  controllers: [UsageController, TenantUsageController],
  providers: [UsageStore, UsageMeter, UsageHttpHook, UsageReports, UsageQueue, TenantUsageMeasurer, UsageMeasurements, UsageWorker],
  // The monthly API-call quota counts what this process has not flushed yet.
  exports: [UsageMeter],
})
export class UsageModule {}
