import CircuitBreaker from 'opossum';
import { Agent as HttpAgent, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { LookupAddress } from 'node:dns';
import { RestConnectionSettings, secretsOf } from './connection-settings';
import { DataSourceUnreachableError, reasonOf, scrubbed } from './data-source-error';
import { NetworkPolicy, pinnedLookup, resolveAllowedAddress } from './network-guard';

export interface RestSourceOptions extends NetworkPolicy {
  timeoutMs: number;
  maxResponseBytes: number;
  /** Further attempts of an idempotent call (GET, PUT, DELETE) after a network error or a 502/503/504. */
  retries: number;
  breakerResetMs: number;
}

export interface RestResponse {
  status: number;
  body: unknown;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
const IDEMPOTENT = new Set<Method>(['GET', 'PUT', 'DELETE']);
const RETRYABLE_STATUS = new Set([502, 503, 504]);

/** A transient failure worth another attempt of an idempotent call. */
class TransientError extends Error {}

/**
 * A customer's REST API, called as Tenantry's REST contract describes (README): JSON in and out,
 * an API key as a bearer token plus any configured headers. The host is resolved and checked by
 * the network guard once and every connection pinned to that address (no DNS rebinding);
 * redirects are never followed; each call has a deadline and a response size limit; idempotent
 * calls are retried with backoff; a circuit breaker answers at once while the API keeps failing.
 * 4xx answers are the caller's to interpret (404: no such record).
 */
export class RestSource {
  private readonly base: URL;
  private readonly secrets: string[];
  private readonly breaker: CircuitBreaker<[Method, string, Record<string, string>, unknown], RestResponse>;
  private pinned?: Promise<LookupAddress>;
  private readonly agent: HttpAgent;

  constructor(
    private readonly settings: RestConnectionSettings,
    private readonly options: RestSourceOptions,
  ) {
    this.base = new URL(settings.baseUrl);
    this.secrets = secretsOf(settings);
    this.agent =
      this.base.protocol === 'https:'
        ? new HttpsAgent({ keepAlive: true, maxSockets: 8 })
        : new HttpAgent({ keepAlive: true, maxSockets: 8 });
    this.breaker = new CircuitBreaker(
      (method: Method, path: string, query: Record<string, string>, body: unknown) => this.withRetries(method, path, query, body),
      {
        timeout: (options.timeoutMs + 500) * (options.retries + 1) + 1_000,
        resetTimeout: options.breakerResetMs,
        errorThresholdPercentage: 50,
        volumeThreshold: 3,
      },
    );
  }

  /** `path` is below the base URL, its segments already encoded. */
  async send(method: Method, path: string, query: Record<string, string> = {}, body?: unknown): Promise<RestResponse> {
    try {
      return await this.breaker.fire(method, path, query, body);
    } catch (error) {
      const reason = scrubbed(reasonOf(error), this.secrets);
      if (this.breaker.opened)
        throw new DataSourceUnreachableError(`The tenant's API is unavailable (calls are paused after repeated failures): ${reason}`);
      throw new DataSourceUnreachableError(`The tenant's API did not answer properly: ${reason}`);
    }
  }

  /** False while the circuit breaker is open (calls are answered at once, without reaching the API). */
  get available(): boolean {
    return !this.breaker.opened;
  }

  /** True once the breaker is closed: half-open (one call trying whether the API is back) is not yet healthy. */
  get healthy(): boolean {
    return this.breaker.closed;
  }

  close(): void {
    this.breaker.shutdown();
    this.agent.destroy();
  }

  private async withRetries(method: Method, path: string, query: Record<string, string>, body: unknown): Promise<RestResponse> {
    const attempts = IDEMPOTENT.has(method) ? this.options.retries + 1 : 1;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.once(method, path, query, body);
      } catch (error) {
        if (!(error instanceof TransientError) || attempt >= attempts) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * 3 ** (attempt - 1)));
      }
    }
  }

  private async once(method: Method, path: string, query: Record<string, string>, body: unknown): Promise<RestResponse> {
    this.pinned ??= resolveAllowedAddress(this.base.hostname, this.options).catch((error: unknown) => {
      this.pinned = undefined;
      throw error;
    });
    const { address, family } = await this.pinned;
    const url = new URL(`${this.base.pathname.replace(/\/$/, '')}/${path}`, this.base.origin);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'tenantry-byod', ...this.settings.headers };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    if (payload) headers['content-type'] = 'application/json';
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<RestResponse>((resolve, reject) => {
      const request = send(url, {
        method,
        headers,
        agent: this.agent,
        timeout: this.options.timeoutMs,
        lookup: pinnedLookup(address, family),
      });
      const deadline = setTimeout(
        () => request.destroy(new TransientError(`no complete answer within ${this.options.timeoutMs} ms`)),
        this.options.timeoutMs,
      );
      request.on('timeout', () => request.destroy(new TransientError(`no answer within ${this.options.timeoutMs} ms`)));
      request.on('error', (error) => {
        clearTimeout(deadline);
        reject(error instanceof TransientError ? error : new TransientError(reasonOf(error)));
      });
      request.on('response', (response) => {
        readJson(response, this.options.maxResponseBytes).then(
          (parsed) => {
            clearTimeout(deadline);
            const status = response.statusCode ?? 0;
            if (RETRYABLE_STATUS.has(status)) return reject(new TransientError(`answered HTTP ${status}`));
            if (status >= 300 && status < 400) return reject(new Error(`answered ${status} (a redirect); redirects are not followed`));
            if (status >= 500) return reject(new Error(`answered HTTP ${status}`));
            resolve({ status, body: parsed });
          },
          (error: Error) => {
            clearTimeout(deadline);
            request.destroy();
            reject(error);
          },
        );
      });
      request.end(payload);
    });
  }
}

function readJson(response: IncomingMessage, limit: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    response.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) {
        response.destroy();
        reject(new Error(`the answer is larger than ${limit} bytes`));
      } else chunks.push(chunk);
    });
    response.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      if (!text.trim()) return resolve(null);
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(new Error('the answer is not JSON'));
      }
    });
    response.on('error', reject);
  });
}
