import { Injectable } from '@nestjs/common';
import { PlanQuota } from '../plans/plan-quotas.service';
import { PlatformAlerts } from './platform-alerts';

/** From this share of a quota on, platform admins are told (before the tenant runs into it). */
const NEARLY = 0.9;

/** Alerts for tenants close to a quota of their plan, for the modules that enforce quotas. */
@Injectable()
export class QuotaAlerts {
  constructor(private readonly alerts: PlatformAlerts) {}

  /** `used` after the change that is being made; raises (without failing the caller) from 90% of the limit on. */
  nearlyReached(tenantId: string, quota: PlanQuota, used: number, name = 'maxContacts'): void {
    if (used < Math.ceil(quota.limit * NEARLY)) return;
    this.alerts.raiseQuietly({
      kind: 'quota_nearly_reached',
      subject: `${tenantId} ${name}`,
      message: `A tenant on the ${quota.planDisplayName} plan uses ${used} of its ${quota.limit} ${name} (${Math.floor((used / quota.limit) * 100)}%)`,
    });
  }
}
