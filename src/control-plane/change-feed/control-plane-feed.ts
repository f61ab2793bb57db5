import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Client, Notification } from 'pg';
import { AppConfig } from '../../platform/config/app-config';

const CHANNEL_NAME = /^[a-z_]+$/;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/** One kind of control-plane change pushed to every process. */
export interface ChangeFeedChannel {
  /** The NOTIFY channel (lower-case letters and underscores). */
  readonly channel: string;
  /** A notification on the channel; the payload is the channel's to parse. */
  received(payload: string): void;
  /**
   * Called after every (re)connect, once listening: notifications sent while this process was not
   * listening are lost, so whatever they would have said must be reloaded or forgotten here.
   */
  resync(client: Client): Promise<void>;
}

/**
 * The control-plane change feed: one dedicated PostgreSQL connection per process that LISTENs on
 * every registered channel (session revocations, access changes) and hands each NOTIFY to its
 * channel. Writers NOTIFY inside the changing transaction (triggers), so a notification arrives
 * only for a committed change. The connection reconnects with a growing delay and resyncs every
 * channel, since notifications sent meanwhile are lost. It needs a direct session to PostgreSQL
 * (not PgBouncer in transaction mode, which cannot LISTEN).
 */
@Injectable()
export class ControlPlaneFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ControlPlaneFeed.name);
  private readonly url: string;
  private readonly channels = new Map<string, ChangeFeedChannel>();
  private client?: Client;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(config: ConfigService<AppConfig, true>) {
    this.url = config.get('database.url', { infer: true });
  }

  /** Registers a channel; called by its owner's constructor, before the feed connects. */
  register(channel: ChangeFeedChannel): void {
    if (!CHANNEL_NAME.test(channel.channel)) throw new Error(`Invalid change feed channel "${channel.channel}"`);
    if (this.channels.has(channel.channel)) throw new Error(`Change feed channel "${channel.channel}" registered twice`);
    this.channels.set(channel.channel, channel);
  }

  /** After every module's init (the control-plane migrations have run); before the app listens. */
  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'tenantry-change-feed' });
    client.on('notification', (message) => this.onNotification(message));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      // Listening before resyncing: a change committed meanwhile is in what is reloaded, or notified, or both.
      for (const name of this.channels.keys()) await client.query(`LISTEN ${name}`);
      for (const channel of this.channels.values()) await channel.resync(client);
    } catch (error) {
      client.removeAllListeners();
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    if (this.stopped) await this.onApplicationShutdown();
  }

  private onNotification(message: Notification): void {
    const channel = this.channels.get(message.channel);
    if (!channel || message.payload === undefined) return;
    try {
      channel.received(message.payload);
    } catch (error) {
      // One bad notification must not cost the connection (and with it every later one).
      this.logger.warn(`Ignored a notification on ${message.channel}: ${(error as Error).message}`);
    }
  }

  /** The listening connection failed or closed: reconnect (and resync) with a growing delay. */
  private lost(client: Client, error?: Error): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    this.logger.warn(`Lost the change feed (${error?.message ?? 'connection closed'}); reconnecting`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.retryTimer = setTimeout(() => {
      this.connect().then(
        () => {
          this.retryMs = FIRST_RETRY_MS;
          this.logger.log('Change feed reconnected and resynced');
        },
        (error: Error) => {
          if (this.stopped) return;
          this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
          this.logger.warn(`Change feed still down (${error.message}); retrying in ${this.retryMs} ms`);
          this.scheduleReconnect();
        },
      );
    }, this.retryMs);
  }
}
