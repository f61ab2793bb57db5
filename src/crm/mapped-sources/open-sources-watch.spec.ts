import { ConfigService } from '@nestjs/config';
import { PlatformAlerts } from '../../control-plane/alerts/platform-alerts';
import { AppMetrics } from '../../platform/metrics/app-metrics';
import { OpenSourcesWatch } from './open-sources-watch';

describe('OpenSourcesWatch', () => {
  const ALERT_AFTER_MS = 60_000;
  let raised: string[];
  let resolved: string[];
  let watch: OpenSourcesWatch;

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    raised = [];
    resolved = [];
    const alerts = {
      raiseQuietly: (alert: { subject: string }) => raised.push(alert.subject),
      resolveOpen: (_kind: string, subject: string) => Promise.resolve(void resolved.push(subject)),
    } as unknown as PlatformAlerts;
    const config = { get: () => ALERT_AFTER_MS } as unknown as ConfigService;
    const metrics = { gauge: () => undefined } as unknown as AppMetrics;
    watch = new OpenSourcesWatch(alerts, config as never, metrics);
    watch.onApplicationBootstrap();
  });

  afterEach(() => {
    watch.onApplicationShutdown();
    jest.useRealTimers();
  });

  it('alerts once for a source whose breaker keeps failing, half-opening between, and resolves it once the breaker closes', () => {
    const source = { available: false, healthy: false };
    watch.watch(source, { id: 'tenant-1', slug: 'acme' });
    jest.advanceTimersByTime(ALERT_AFTER_MS - 10_000);
    expect(raised).toEqual([]);
    jest.advanceTimersByTime(20_000);
    expect(raised).toEqual(['tenant-1']);
    jest.advanceTimersByTime(60_000);
    expect(raised).toEqual(['tenant-1']);
    source.healthy = true;
    jest.advanceTimersByTime(5_000);
    expect(resolved).toEqual(['tenant-1']);
  });

  it('does not alert for a breaker that opens briefly and closes again', () => {
    const source = { available: false, healthy: false };
    watch.watch(source, { id: 'tenant-2', slug: 'brief' });
    jest.advanceTimersByTime(20_000);
    source.healthy = true;
    jest.advanceTimersByTime(5_000);
    source.healthy = false;
    jest.advanceTimersByTime(50_000);
    expect(raised).toEqual([]);
  });
});
