import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config';
import { ChangeFeedChannel, ControlPlaneFeed } from '../change-feed/control-plane-feed';
import { RevocationCommitHook } from './revocation-commit-hook';
import { RevocationEntry, RevocationList } from './revocation-list';

/** Revocations are kept this long past the access-token lifetime, for clocks of processes that disagree a little. */
const CLOCK_SKEW_MS = 60_000;
const PRUNE_INTERVAL_MS = 60_000;

/**
 * Keeps this process's RevocationList equal to session_revocations by push, not by a TTL: the
 * change feed delivers the trigger's NOTIFY (sent when a revoking transaction commits). The list is
 * loaded at start-up and reloaded after every reconnect of the feed, since notifications sent
 * while it was down are lost; until it is back, revocations made by other processes are not seen
 * here. Rows older than the access-token lifetime are pruned.
 */
@Injectable()
export class RevocationFeed implements ChangeFeedChannel, OnApplicationBootstrap, OnApplicationShutdown {
  readonly channel = 'session_revocations';
  private readonly logger = new Logger(RevocationFeed.name);
  private readonly keepMs: number;
  private pruneTimer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly list: RevocationList,
    feed: ControlPlaneFeed,
    config: ConfigService<AppConfig, true>,
  ) {
    this.keepMs = config.get('auth.accessTtlSeconds', { infer: true }) * 1000 + CLOCK_SKEW_MS;
    this.dataSource.subscribers.push(new RevocationCommitHook(list));
    feed.register(this);
  }

  onApplicationBootstrap(): void {
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_INTERVAL_MS).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.pruneTimer);
  }

  received(payload: string): void {
    this.list.add(JSON.parse(payload) as RevocationEntry);
  }

  async resync(client: Client): Promise<void> {
    const { rows } = (await client.query(
      `SELECT session_id AS "sessionId", user_id AS "userId", tenant_id AS "tenantId",
                (extract(epoch FROM revoked_before) * 1000)::bigint AS "revokedBefore"
           FROM session_revocations WHERE revoked_before >= $1`,
      [new Date(Date.now() - this.keepMs)],
    )) as { rows: Array<RevocationEntry & { revokedBefore: string }> };
    for (const row of rows) this.list.add({ ...row, revokedBefore: Number(row.revokedBefore) });
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
