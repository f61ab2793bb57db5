import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { hostname } from 'node:os';
import { DataSourceRegistry } from '../../../libs/tenancy/data-source-registry';
import { PlatformAlerts } from '../alerts/platform-alerts';

const CHECK_EVERY_MS = 10_000;

/**
 * Raises an alert when requests of this process gave up waiting for room in the connection budget
 * (a 503 each) since the last look: the budget or a server's cap is too small for the load.
 */
@Injectable()
export class ConnectionWaitWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private seenTimeouts = 0;
  private timer?: NodeJS.Timeout;
  private readonly subject = `process ${hostname()}:${process.pid}`;

  constructor(
    @Inject(DataSourceRegistry) private readonly registry: DataSourceRegistry,
    private readonly alerts: PlatformAlerts,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.check(), CHECK_EVERY_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  check(): void {
    const { budgetTimeouts, connectionBudget } = this.registry.stats();
    const newTimeouts = budgetTimeouts - this.seenTimeouts;
    this.seenTimeouts = budgetTimeouts;
    if (newTimeouts <= 0) return;
    this.alerts.raiseQuietly({
      kind: 'connection_budget_timeouts',
      subject: this.subject,
      message: `${newTimeouts} request(s) gave up waiting for a tenant connection (budget ${connectionBudget} per process, TENANT_CONNECTION_BUDGET, or a server's cap): raise the budget or the servers' capacity, or spread the load`,
    });
  }
}
