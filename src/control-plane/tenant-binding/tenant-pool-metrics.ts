import { DataSourceRegistry } from '../../../libs/tenancy/data-source-registry';
import { AppMetrics } from '../../platform/metrics/app-metrics';

/**
 * The tenant pools of this process (tenant databases and byod sources, DataSourceRegistry), read
 * at every scrape. Counts since start are gauges of running totals: rate() works on them as long
 * as the process lives.
 */
export function registerTenantPoolMetrics(metrics: AppMetrics, registry: DataSourceRegistry): void {
  metrics.gauge(
    'tenant_pools',
    'Pools by state: live (in service), creating, draining (evicted, waiting for their last lease)',
    ['state'],
    () => {
      const stats = registry.stats();
      return [
        { labels: { state: 'live' }, value: stats.live },
        { labels: { state: 'creating' }, value: stats.creating },
        { labels: { state: 'draining' }, value: stats.draining },
      ];
    },
  );
  metrics.gauge('tenant_pool_leases', 'Pools lent out to requests and jobs right now', [], () => [
    { value: registry.stats().leasesInFlight },
  ]);
  metrics.gauge('tenant_pool_connections', 'Connections reserved by pools, and the budget they share', ['kind'], () => {
    const stats = registry.stats();
    return [
      { labels: { kind: 'reserved' }, value: stats.connectionsReserved },
      { labels: { kind: 'budget' }, value: stats.connectionBudget },
    ];
  });
  metrics.gauge(
    'tenant_pool_events',
    'Running totals since start: creations, evictions, failures, hits, misses, budget waits and timeouts',
    ['event'],
    () => {
      const stats = registry.stats();
      const events = ['creations', 'evictions', 'creationFailures', 'hits', 'misses', 'waits', 'budgetTimeouts'] as const;
      return events.map((event) => ({ labels: { event }, value: stats[event] }));
    },
  );
  metrics.gauge(
    'server_connections',
    'Connections reserved per database server, and its cap for this process (-1: none)',
    ['server', 'kind'],
    () =>
      Object.entries(registry.stats().servers).flatMap(([server, figures]) => [
        { labels: { server, kind: 'reserved' }, value: figures.connectionsReserved },
        { labels: { server, kind: 'cap' }, value: figures.connectionLimit ?? -1 },
        { labels: { server, kind: 'budget_timeouts' }, value: figures.budgetTimeouts },
      ]),
  );
}
