import { Module } from '@nestjs/common';
import { PlanQuotas } from './plan-quotas.service';

/** Plan quotas for the tenant-data modules that enforce them. */
@Module({
  providers: [PlanQuotas],
  exports: [PlanQuotas],
})
export class PlanQuotasModule {}
