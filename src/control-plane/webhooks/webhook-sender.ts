import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { reasonOf } from '../../../libs/byod/data-source-error';
import { NetworkPolicy, pinnedLookup, resolveAllowedAddress } from '../../../libs/byod/network-guard';

/** What a delivery attempt keeps of the answer: enough to debug, bounded whatever the receiver sends. */
export const RESPONSE_EXCERPT_BYTES = 1024;

export interface WebhookPost {
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** How one attempt ended: a status code (2xx is success, anything else a failure), or an error and no status. */
export interface WebhookPostOutcome {
  statusCode: number | null;
  responseExcerpt: string | null;
  error: string | null;
  durationMs: number;
}

export interface WebhookSenderOptions extends NetworkPolicy {
  timeoutMs: number;
}

/** How long an unused connection to a receiver stays open. */
const IDLE_CONNECTION_MS = 30_000;

/**
 * Connections to receivers kept open between deliveries, so a busy endpoint pays one TCP (and TLS)
 * handshake, not one per delivery. A connection is only kept after an answer read to its end; one
 * cut short (timeout, abort, an answer past the excerpt) is closed. Each new connection is opened
 * to the address the network guard checked for the request that opens it.
 */
export class ReceiverConnections {
  readonly http = new HttpAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS });
  readonly https = new HttpsAgent({ keepAlive: true, timeout: IDLE_CONNECTION_MS });

  close(): void {
    this.http.destroy();
    this.https.destroy();
  }
}

/**
 * POSTs one webhook. The host is resolved and checked by the byod network guard (no internal or
 * metadata address unless the operator allows private networks) and the connection pinned to the
 * checked address (no DNS rebinding); redirects are answers, never followed; the whole exchange has
 * a deadline; only the first KiB of the answer is read, then the connection is cut, so a receiver
 * streaming a huge body costs nothing. Never throws: every failure is an outcome.
 */
export async function postWebhook(
  post: WebhookPost,
  options: WebhookSenderOptions,
  signal?: AbortSignal,
  connections?: ReceiverConnections,
): Promise<WebhookPostOutcome> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const url = new URL(post.url);
  let pinned: { address: string; family: number };
  try {
    pinned = await resolveAllowedAddress(url.hostname, options);
  } catch (error) {
    return { statusCode: null, responseExcerpt: null, error: reasonOf(error), durationMs: elapsed() };
  }
  const stopped = { statusCode: null, responseExcerpt: null, error: 'the attempt was stopped' };
  if (signal?.aborted) return { ...stopped, durationMs: elapsed() };
  const https = url.protocol === 'https:';
  const send = https ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    let settled = false;
    /** `answered`: the answer was read to its end, so its connection may carry the next delivery. */
    const finish = (outcome: Omit<WebhookPostOutcome, 'durationMs'>, answered = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      signal?.removeEventListener('abort', onAbort);
      if (!answered) request.destroy();
      resolve({ ...outcome, responseExcerpt: storable(outcome.responseExcerpt), error: storable(outcome.error), durationMs: elapsed() });
    };
    const request = send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'tenantry-webhooks', ...post.headers },
      lookup: pinnedLookup(pinned.address, pinned.family),
      agent: connections ? (https ? connections.https : connections.http) : false,
    });
    const deadline = setTimeout(
      () => finish({ statusCode: null, responseExcerpt: null, error: `no complete answer within ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    const onAbort = () => finish(stopped);
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('error', (error) => finish({ statusCode: null, responseExcerpt: null, error: reasonOf(error) }));
    request.on('response', (response) => {
      const statusCode = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let bytes = 0;
      const done = (answered: boolean) => {
        const excerpt = Buffer.concat(chunks).subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8');
        const redirect = statusCode >= 300 && statusCode < 400;
        finish(
          {
            statusCode,
            responseExcerpt: excerpt || null,
            error: redirect ? `answered ${statusCode} (a redirect); redirects are not followed` : null,
          },
          answered,
        );
      };
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        bytes += chunk.length;
        if (bytes >= RESPONSE_EXCERPT_BYTES) done(false);
      });
      response.on('end', () => done(true));
      response.on('error', () => done(false));
    });
    request.end(post.body);
  });
}

/**
 * What the receiver said, as the delivery log can keep it: PostgreSQL's text holds no NUL character, and one in an
 * answer would fail the statement recording it, with every other delivery recorded in the same batch.
 */
function storable(text: string | null): string | null {
  return text === null ? null : text.replaceAll('\0', '') || null;
}

export const isSuccess = (outcome: WebhookPostOutcome) =>
  outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300;
