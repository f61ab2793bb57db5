import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client, Notification } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { RevocationCommitHook } from './revocation-commit-hook';
import { RevocationEntry, RevocationList } from './revocation-list';

const CHANNEL = 'session_revocations';
/** Revocations are kept this long past the access-token lifetime, for clocks of processes that disagree a little. */
const CLOCK_SKEW_MS = 60_000;
const PRUNE_INTERVAL_MS = 60_000;
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5_000;

/**
 * Keeps this process's RevocationList equal to session_revocations by push, not by a TTL: a
 * dedicated connection LISTENs for the trigger's NOTIFY (sent when a revoking transaction
 * commits). The list is loaded at start-up and reloaded after every reconnect, since
 * notifications sent while the connection was down are lost; until it is back, revocations made
 * by other processes are not seen here. It needs a direct session to PostgreSQL (not PgBouncer in
 * transaction mode, which cannot LISTEN). Rows older than the access-token lifetime are pruned.
 */
@Injectable()
export class RevocationFeed implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RevocationFeed.name);
  private readonly url: string;
  private readonly keepMs: number;
  private client?: Client;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer?: NodeJS.Timeout;
  private pruneTimer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly list: RevocationList,
    config: ConfigService<AppConfig, true>,
  ) {
    this.url = config.get('database.url', { infer: true });
    this.keepMs = config.get('auth.accessTtlSeconds', { infer: true }) * 1000 + CLOCK_SKEW_MS;
    this.dataSource.subscribers.push(new RevocationCommitHook(list));
  }

  /** After every module's init (the control-plane migrations have run); before the app listens. */
  async onApplicationBootstrap(): Promise<void> {
    await this.connect();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_INTERVAL_MS).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.pruneTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'tenantry-revocations' });
    client.on('notification', (message) => this.onNotification(message));
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      // Listening before reading: a revocation committed meanwhile is in the rows, or notified, or both.
      await client.query(`LISTEN ${CHANNEL}`);
      const rows: Array<RevocationEntry & { revokedBefore: string }> = (
        await client.query(
          `SELECT session_id AS "sessionId", user_id AS "userId", tenant_id AS "tenantId",
                  (extract(epoch FROM revoked_before) * 1000)::bigint AS "revokedBefore"
             FROM session_revocations WHERE revoked_before >= $1`,
          [new Date(Date.now() - this.keepMs)],
        )
      ).rows;
      for (const row of rows) this.list.add({ ...row, revokedBefore: Number(row.revokedBefore) });
    } catch (error) {
      client.removeAllListeners();
      await client.end().catch(() => undefined);
      throw error;
    }
    this.client = client;
    if (this.stopped) await this.onApplicationShutdown();
  }

  private onNotification(message: Notification): void {
    if (message.channel !== CHANNEL || !message.payload) return;
    this.list.add(JSON.parse(message.payload) as RevocationEntry);
  }

  /** The listening connection failed or closed: reconnect (and reload) with a growing delay. */
  private lost(client: Client, error?: Error): void {
    if (this.stopped || this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    this.logger.warn(`Lost the revocation feed (${error?.message ?? 'connection closed'}); reconnecting`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.retryTimer = setTimeout(() => {
      this.connect().then(
        () => {
          this.retryMs = FIRST_RETRY_MS;
          this.logger.log(`Revocation feed reconnected; ${this.list.size} revocations in force`);
        },
        (error: Error) => {
          if (this.stopped) return;
          this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
          this.logger.warn(`Revocation feed still down (${error.message}); retrying in ${this.retryMs} ms`);
          this.scheduleReconnect();
        },
      );
    }, this.retryMs);
  }

  /** Any process may prune; the DELETE is idempotent. */
  private async prune(): Promise<void> {
    const cutoff = Date.now() - this.keepMs;
    this.list.prune(cutoff);
    await this.dataSource.query('DELETE FROM session_revocations WHERE revoked_before < $1', [new Date(cutoff)]).catch((error: Error) => {
      this.logger.warn(`Pruning session revocations failed: ${error.message}`);
    });
  }
}
