import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { AppConfig } from '../config/app-config';

const PREFIX = 'tenantry_';

/** One sample of a gauge read at scrape time. */
export interface GaugeSample<Label extends string = string> {
  labels?: Partial<Record<Label, string>>;
  value: number;
}

/**
 * This process's Prometheus metrics (prom-client), served at GET /metrics: Node's own (event-loop
 * lag, memory, GC, handles), HTTP requests and job attempts observed as they happen, and gauges
 * other modules register and that are read when scraped. Labels are bounded sets (route patterns,
 * queue names, status codes): no tenant id is ever a label.
 */
@Injectable()
export class AppMetrics {
  readonly registry = new Registry();

  readonly httpRequests = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'HTTP requests by method, route pattern and status code, and how long they took',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly jobAttempts = new Histogram({
    name: `${PREFIX}job_attempt_duration_seconds`,
    help: 'Job attempts by queue and outcome (completed or failed), and how long they took',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [this.registry],
  });

  /** Per attempt; no endpoint or tenant label (unbounded), the delivery log has those. */
  readonly webhookDeliveries = new Histogram({
    name: `${PREFIX}webhook_delivery_attempt_duration_seconds`,
    help: 'Webhook delivery attempts by outcome (delivered, retrying, dead_lettered), and how long they took',
    labelNames: ['outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  constructor(config: ConfigService<AppConfig, true>) {
    // Its event-loop and GC observers run all the time: with METRICS=false nothing should.
    if (config.get('metrics.enabled', { infer: true })) collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }

  /** A gauge whose samples `collect` reads at every scrape (e.g. a registry's figures). */
  gauge<Label extends string>(
    name: string,
    help: string,
    labelNames: readonly Label[],
    collect: () => GaugeSample<Label>[] | Promise<GaugeSample<Label>[]>,
  ): void {
    new Gauge({
      name: `${PREFIX}${name}`,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        for (const sample of await collect()) {
          if (sample.labels) this.set(sample.labels, sample.value);
          else this.set(sample.value);
        }
      },
    });
  }
}
