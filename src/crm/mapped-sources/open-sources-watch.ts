import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { PlatformAlerts } from '../../control-plane/alerts/platform-alerts';
import { AppConfig } from '../../platform/config/app-config';
import { AppMetrics } from '../../platform/metrics/app-metrics';

/**
 * What the watch needs of an open source: whether its circuit breaker lets calls through
 * (`available`, counted in the metrics), and whether it is closed (`healthy`, what the alert goes
 * by). A source down for minutes half-opens every BYOD_BREAKER_RESET_MS to try one call: counting
 * that as back would restart the alert's clock each time.
 */
export interface WatchedSource {
  readonly available: boolean;
  readonly healthy: boolean;
}

interface Watched {
  tenantId: string;
  tenantSlug: string;
  breakerOpenSince?: number;
  alerted: boolean;
}

/**
 * The byod sources this process has open: counted for the metrics, and looked at every few seconds
 * so that a circuit breaker open longer than BYOD_BREAKER_ALERT_AFTER_MS raises an alert to platform
 * admins (once per tenant while it lasts), resolved when the source answers again.
 */
@Injectable()
export class OpenSourcesWatch implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly watched = new Map<WatchedSource, Watched>();
  private readonly alertAfterMs: number;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly alerts: PlatformAlerts,
    config: ConfigService<AppConfig, true>,
    metrics: AppMetrics,
  ) {
    this.alertAfterMs = config.get('byod.breakerAlertAfterMs', { infer: true });
    metrics.gauge(
      'byod_sources',
      "Open byod sources, and those whose circuit breaker is open (calls paused after the source's failures)",
      ['state'],
      () => {
        const sources = [...this.watched.keys()];
        return [
          { labels: { state: 'open' }, value: sources.length },
          { labels: { state: 'breaker_open' }, value: sources.filter((source) => !source.available).length },
        ];
      },
    );
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.check(Date.now()), Math.min(5_000, Math.max(100, this.alertAfterMs / 4))).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  watch(source: WatchedSource, tenant: { id: string; slug: string }): void {
    this.watched.set(source, { tenantId: tenant.id, tenantSlug: tenant.slug, alerted: false });
  }

  forget(source: WatchedSource): void {
    this.watched.delete(source);
  }

  private check(now: number): void {
    for (const [source, state] of this.watched) {
      if (source.healthy) {
        if (state.alerted) void this.alerts.resolveOpen('byod_breaker_open', state.tenantId).catch(() => undefined);
        state.breakerOpenSince = undefined;
        state.alerted = false;
        continue;
      }
      state.breakerOpenSince ??= now;
      if (state.alerted || now - state.breakerOpenSince < this.alertAfterMs) continue;
      state.alerted = true;
      this.alerts.raiseQuietly({
        kind: 'byod_breaker_open',
        subject: state.tenantId,
        message: `The data source of tenant "${state.tenantSlug}" has failed for ${Math.round((now - state.breakerOpenSince) / 1000)} s: its circuit breaker is open and the tenant's requests answer 503`,
      });
    }
  }
}
