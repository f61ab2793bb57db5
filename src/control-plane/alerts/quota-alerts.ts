import { Injectable } from '@nestjs/common';
import { PlanQuota } from '../plans/plan-quotas.service';
import { PlatformAlerts } from './platform-alerts';

/** From this share of a quota on, platform admins are told (before the tenant runs into it). */
const NEARLY = 0.9;

/** The quotas of a plan, by the name an alert's subject and message give them. */
export type QuotaName = 'maxContacts' | 'maxUsers' | 'storageMb' | 'maxApiCallsPerMonth';

/** Alerts for tenants close to a quota of their plan, raised by whatever enforces or measures the quota. */
@Injectable()
export class QuotaAlerts {
  constructor(private readonly alerts: PlatformAlerts) {}

  /**
   * `used` after the change being made (or as measured); from 90% of the limit on, raises (without
   * failing the caller) one open alert per tenant and quota, and answers true.
   */
  nearlyReached(tenantId: string, quota: PlanQuota, used: number, name: QuotaName = 'maxContacts'): boolean {
    if (used < Math.ceil(quota.limit * NEARLY)) return false;
    this.alerts.raiseQuietly({
      kind: 'quota_nearly_reached',
      subject: `${tenantId} ${name}`,
      message: `A tenant on the ${quota.planDisplayName} plan uses ${used} of its ${quota.limit} ${name} (${Math.floor((used / quota.limit) * 100)}%)`,
    });
    return true;
  }
}
