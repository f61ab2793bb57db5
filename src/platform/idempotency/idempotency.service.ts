import { ConflictException, Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';

/** A request that owns its key while it runs; `token` fences it against a takeover. */
export interface IdempotencyClaim {
  scope: string;
  key: string;
  token: string;
  /** The status the route answers on success (what a replay answers). */
  status: number;
}

export interface StoredAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export type ClaimOutcome =
  { kind: 'claimed'; claim: IdempotencyClaim } | { kind: 'replay'; answer: StoredAnswer } | { kind: 'mismatch' } | { kind: 'in_flight' };

export interface ClaimRequest {
  scope: string;
  key: string;
  fingerprint: Buffer;
  status: number;
  /** The handler completes the claim in its own transaction, so a stale claim may be taken over. */
  completesInTransaction: boolean;
}

/** A key's row as a claim that lost the race reads it. */
interface StoredKey {
  fingerprint: Buffer;
  state: string;
  response_status: number;
  response_headers: Record<string, string> | null;
  response_body: string | null;
}

const PRUNE_INTERVAL_MS = 10 * 60_000;

/**
 * Idempotency-Key claims and stored answers in the control-plane database. A claim is one
 * statement (insert, or take over an expired key or a stale claim that is safe to take over), so
 * two requests with one key never both run; completing is fenced by the claim's token.
 */
@Injectable()
export class IdempotencyService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(IdempotencyService.name);
  private pruneTimer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  onModuleInit(): void {
    this.pruneTimer = setInterval(
      () => void this.prune().catch((error) => this.logger.warn(`pruning idempotency keys failed: ${error}`)),
      PRUNE_INTERVAL_MS,
    );
    this.pruneTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.pruneTimer);
  }

  async claim(request: ClaimRequest): Promise<ClaimOutcome> {
    const { keyTtlHours, leaseSeconds } = this.config.get('idempotency', { infer: true });
    // A row that vanished between our insert and our read was released by a failed first request: claim again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const token = randomUUID();
      const claimed: Array<{ claim_token: string }> = await this.dataSource.query(
        `INSERT INTO idempotency_keys AS k (scope, key, fingerprint, claim_token, state, lease_expires_at, expires_at)
         VALUES ($1, $2, $3, $4, 'in_progress', CASE WHEN $5 THEN now() + make_interval(secs => $6) END, now() + make_interval(hours => $7))
         ON CONFLICT (scope, key) DO UPDATE SET
           fingerprint = EXCLUDED.fingerprint, claim_token = EXCLUDED.claim_token, state = 'in_progress',
           lease_expires_at = EXCLUDED.lease_expires_at, response_status = NULL, response_headers = NULL, response_body = NULL,
           created_at = now(), expires_at = EXCLUDED.expires_at
         WHERE k.expires_at < now()
            OR (k.state = 'in_progress' AND k.lease_expires_at < now() AND k.fingerprint = EXCLUDED.fingerprint)
         RETURNING claim_token`,
        [request.scope, request.key, request.fingerprint, token, request.completesInTransaction, leaseSeconds, keyTtlHours],
      );
      if (claimed[0]?.claim_token === token)
        return { kind: 'claimed', claim: { scope: request.scope, key: request.key, token, status: request.status } };
      const [existing] = await this.dataSource.query<StoredKey[]>(
        `SELECT fingerprint, state, response_status, response_headers, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2`,
        [request.scope, request.key],
      );
      if (!existing) continue;
      if (!request.fingerprint.equals(existing.fingerprint)) return { kind: 'mismatch' };
      if (existing.state !== 'completed') return { kind: 'in_flight' };
      return {
        kind: 'replay',
        answer: { status: existing.response_status, headers: existing.response_headers ?? {}, body: parseBody(existing.response_body) },
      };
    }
    return { kind: 'in_flight' };
  }

  /**
   * Stores the answer inside the handler's own transaction, so the work and its answer commit
   * together. A claim taken over meanwhile (this request outlived its lease) refuses, rolling the work back.
   */
  async completeWithin(
    manager: EntityManager,
    claim: IdempotencyClaim,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<void> {
    if (!(await this.store(manager, claim, { status: claim.status, headers, body }))) {
      throw new ConflictException({
        message: `The request with Idempotency-Key "${claim.key}" ran past its lease and a retry took it over; nothing was changed`,
        details: [{ field: 'headers.idempotency-key', problems: ['taken over by a retry'] }],
      });
    }
  }

  /** Stores the answer after the handler; a no-op when the handler already stored it in its transaction. */
  async complete(claim: IdempotencyClaim, answer: StoredAnswer): Promise<void> {
    await this.store(this.dataSource.manager, claim, answer);
  }

  /** Frees the key after a request that certainly changed nothing, so a retry runs again. */
  async release(claim: IdempotencyClaim): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND claim_token = $3 AND state = 'in_progress'`,
      [claim.scope, claim.key, claim.token],
    );
  }

  /** Deletes expired keys; every process runs it now and then (a claim overwrites an expired key anyway). */
  async prune(): Promise<number> {
    const [, deleted] = await this.dataSource.query<[unknown, number]>(`DELETE FROM idempotency_keys WHERE expires_at < now()`);
    return deleted;
  }

  private async store(manager: EntityManager, claim: IdempotencyClaim, answer: StoredAnswer): Promise<boolean> {
    const [, updated] = await manager.query<[unknown, number]>(
      `UPDATE idempotency_keys SET state = 'completed', lease_expires_at = NULL, response_status = $4, response_headers = $5, response_body = $6
       WHERE scope = $1 AND key = $2 AND claim_token = $3 AND state = 'in_progress'`,
      [
        claim.scope,
        claim.key,
        claim.token,
        answer.status,
        JSON.stringify(answer.headers),
        answer.body === undefined ? null : JSON.stringify(answer.body),
      ],
    );
    return updated === 1;
  }
}

/** The answer's JSON text, kept as written (jsonb would reorder its keys). */
const parseBody = (text: string | null): unknown => (text === null ? undefined : JSON.parse(text));
