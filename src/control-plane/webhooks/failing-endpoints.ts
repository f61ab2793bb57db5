import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MailOutbox } from '../../platform/mail/mail-outbox';
import { PlatformAlerts } from '../alerts/platform-alerts';
import { endWaitingDeliveries } from './webhook-delivery-queue';

/**
 * Keeps each endpoint's failure clock (failing_since: the first failed attempt since the last
 * success) and disables an endpoint that has failed without a success for too long, telling whoever
 * owns it: a tenant's admins by mail, the platform admins by an alert.
 */
@Injectable()
export class FailingEndpoints {
  constructor(
    private readonly mail: MailOutbox,
    private readonly alerts: PlatformAlerts,
  ) {}

  /**
   * Successes stop their endpoints' failure clocks: a CTE for a fenced write of successful attempts
   * (FencedAttempt.writeEach) whose `owned` rows carry their `endpoint_id`.
   */
  succeededWrite(): string {
    return `failure_clock_stopped AS (
      UPDATE webhook_endpoints SET failing_since = NULL WHERE id IN (SELECT endpoint_id FROM owned) AND failing_since IS NOT NULL)`;
  }

  /** Returns whether this failure disabled the endpoint. */
  async failed(manager: EntityManager, endpointId: string, disableAfterMs: number): Promise<boolean> {
    const days = Math.round(disableAfterMs / 86_400_000);
    const [clock] = await manager.query<Array<{ overdue: boolean }>>(
      // Each UPDATE is wrapped in a SELECT so the driver returns the rows alone (not with the count).
      `WITH clock AS (
         UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, now()) WHERE id = $1
         RETURNING enabled AND failing_since < now() - make_interval(secs => $2 / 1000.0) AS overdue
       ) SELECT overdue FROM clock`,
      [endpointId, disableAfterMs],
    );
    if (!clock?.overdue) return false;
    const [disabled] = await manager.query<Array<{ tenant_id: string | null; url: string }>>(
      `WITH disabled AS (
         UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, disabled_at = now(), updated_at = now() WHERE id = $1 AND enabled RETURNING tenant_id, url
       ) SELECT tenant_id, url FROM disabled`,
      [endpointId, `Disabled automatically: every delivery failed for ${days} days`],
    );
    if (!disabled) return false;
    await endWaitingDeliveries(manager, endpointId);
    const message = `The webhook endpoint ${disabled.url} (${endpointId}) failed every delivery for ${days} days and was disabled; enable it again once it answers.`;
    if (disabled.tenant_id === null) {
      await this.alerts.raise({ kind: 'webhook_endpoint_disabled', subject: endpointId, message }, manager);
      return true;
    }
    const admins = await manager.query<Array<{ email: string }>>(
      `SELECT u.email FROM tenant_memberships m JOIN users u ON u.id = m.user_id
        WHERE m.tenant_id = $1 AND m.role = 'tenant_admin' AND u.status = 'active'`,
      [disabled.tenant_id],
    );
    for (const admin of admins) {
      await this.mail.enqueue(manager, {
        kind: 'webhook_disabled',
        to: admin.email,
        subject: 'Tenantry: a webhook endpoint was disabled',
        text: message,
      });
    }
    return true;
  }
}
