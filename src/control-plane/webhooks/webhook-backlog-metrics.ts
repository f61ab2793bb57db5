import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppMetrics } from '../../platform/metrics/app-metrics';

/**
 * The fleet's pending webhook deliveries, by state, at every scrape: `due` (waiting for a claim: a
 * backlog when it grows), `in_flight` (an attempt leased) and `scheduled` (a retry later). The
 * deliveries table is the queue, so pg-boss's queue gauges do not count them.
 */
@Injectable()
export class WebhookBacklogMetrics implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly metrics: AppMetrics,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge('webhook_deliveries_pending', 'Pending webhook deliveries of every endpoint, by state', ['state'], async () => {
      const [counts] = await this.dataSource.query<Array<Record<'due' | 'in_flight' | 'scheduled', number>>>(
        `SELECT count(*) FILTER (WHERE leased AND next_attempt_at > now())::int AS in_flight,
                count(*) FILTER (WHERE next_attempt_at <= now())::int AS due,
                count(*) FILTER (WHERE NOT leased AND next_attempt_at > now())::int AS scheduled
           FROM (SELECT next_attempt_at, COALESCE(lease_expires_at > now(), false) AS leased
                   FROM webhook_deliveries WHERE status = 'pending') pending`,
      );
      return (['due', 'in_flight', 'scheduled'] as const).map((state) => ({ labels: { state }, value: counts[state] }));
    });
  }
}
