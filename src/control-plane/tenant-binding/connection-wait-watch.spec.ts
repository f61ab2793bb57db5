import { DataSourceRegistry } from '../../../libs/tenancy/data-source-registry';
import { PlatformAlerts, RaisedAlert } from '../alerts/platform-alerts';
import { ConnectionWaitWatch } from './connection-wait-watch';

describe('ConnectionWaitWatch', () => {
  it('raises an alert for the budget timeouts since its last look, and none while there are no new ones', () => {
    let budgetTimeouts = 0;
    const registry = { stats: () => ({ budgetTimeouts, connectionBudget: 60 }) } as unknown as DataSourceRegistry;
    const raised: RaisedAlert[] = [];
    const alerts = { raiseQuietly: (alert: RaisedAlert) => raised.push(alert) } as unknown as PlatformAlerts;
    const watch = new ConnectionWaitWatch(registry, alerts);

    watch.check();
    budgetTimeouts = 3;
    watch.check();
    watch.check();
    budgetTimeouts = 4;
    watch.check();

    expect(raised.map((alert) => alert.kind)).toEqual(['connection_budget_timeouts', 'connection_budget_timeouts']);
    expect(raised[0].message).toMatch(/^3 request\(s\) gave up waiting for a tenant connection \(budget 60 per process/);
    expect(raised[1].message).toMatch(/^1 request\(s\)/);
    expect(raised[0].subject).toBe(raised[1].subject);
  });
});
