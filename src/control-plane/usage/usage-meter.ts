import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppConfig } from '../../platform/config/app-config';
import { UsageBuffer } from './usage-buffer';
import { UsageStore } from './usage-store';
import { utcDay } from './utc-day';

/**
 * Counts served /api requests per tenant and day in memory and adds them to the control plane on
 * a timer, so metering costs a request a map update, never a query. A flush that fails keeps its
 * counts for the next one; the last flush runs at shutdown, after the HTTP server stopped taking
 * requests, so a stopped process loses nothing it answered.
 */
@Injectable()
export class UsageMeter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UsageMeter.name);
  private readonly buffer: UsageBuffer;
  private readonly flushIntervalMs: number;
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;

  constructor(
    private readonly store: UsageStore,
    config: ConfigService<AppConfig, true>,
  ) {
    const usage = config.get('usage', { infer: true });
    this.buffer = new UsageBuffer(usage.bufferMaxEntries);
    this.flushIntervalMs = usage.flushIntervalMs;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.flushIntervalMs);
    // The timer alone must not keep a process alive that is otherwise done.
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    if (this.buffer.size > 0) this.logger.error(`Usage of ${this.buffer.size} tenant-days could not be saved before stopping`);
  }

  /** Counts one answered request of a tenant; a write is a change that succeeded. */
  record(tenantId: string, userId: string | undefined, method: string, statusCode: number): void {
    const write = method !== 'GET' && method !== 'HEAD' && statusCode >= 200 && statusCode < 300;
    this.buffer.record(tenantId, utcDay(), write, userId);
  }

  /** Calls of a tenant on these days that this process counted and has not saved yet. */
  unflushedApiCalls(tenantId: string, days: readonly string[]): number {
    return days.reduce((sum, day) => sum + this.buffer.apiCallsOf(tenantId, day), 0);
  }

  /** Saves what was counted so far; a flush already under way is waited for, then this one runs. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    this.flushing = this.flushOnce().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushOnce(): Promise<void> {
    const dropped = this.buffer.takeDropped();
    if (dropped > 0) this.logger.warn(`${dropped} requests went unmetered: the usage buffer was full while flushes failed`);
    const batch = this.buffer.drain();
    if (batch.length === 0) return;
    try {
      await this.store.addCounts(batch);
    } catch (error) {
      this.buffer.restore(batch);
      this.logger.warn(`Saving usage failed, kept for the next flush: ${(error as Error).message}`);
    }
  }
}
