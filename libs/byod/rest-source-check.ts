import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { RestConnectionSettings, secretsOf } from './connection-settings';
import { DataSourceUnreachableError, reasonOf, scrubbed } from './data-source-error';
import { NetworkPolicy, pinnedLookup, resolveAllowedAddress } from './network-guard';

export interface RestCheckOptions extends NetworkPolicy {
  timeoutMs: number;
  maxResponseBytes: number;
}

export interface RestCheckResult {
  url: string;
  status: number;
  contentType: string | null;
  bytes: number;
}

/**
 * One GET of the source's base URL (or health path). The host is resolved and checked once and
 * the connection pinned to that address; redirects are reported, never followed, so a source
 * cannot bounce the request to an address the guard would refuse.
 */
export async function checkRestSource(settings: RestConnectionSettings, options: RestCheckOptions): Promise<RestCheckResult> {
  const url = targetUrl(settings);
  const secrets = secretsOf(settings);
  const { address, family } = await resolveAllowedAddress(url.hostname, options);
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'tenantry-byod-check', ...settings.headers };
  if (settings.apiKey) headers.authorization = `Bearer ${settings.apiKey}`;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<RestCheckResult>((resolve, reject) => {
    const fail = (message: string) => reject(new DataSourceUnreachableError(scrubbed(`REST source ${url.origin}: ${message}`, secrets)));
    const request = send(url, {
      method: 'GET',
      headers,
      timeout: options.timeoutMs,
      lookup: pinnedLookup(address, family),
    });
    const deadline = setTimeout(() => request.destroy(new Error(`no complete answer within ${options.timeoutMs} ms`)), options.timeoutMs);
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('error', (error) => {
      clearTimeout(deadline);
      fail(reasonOf(error));
    });
    request.on('response', (response) => {
      readLimited(response, options.maxResponseBytes).then(
        (bytes) => {
          clearTimeout(deadline);
          const status = response.statusCode ?? 0;
          if (status >= 300 && status < 400)
            return fail(`answered ${status} redirecting to ${response.headers.location ?? '(no location)'}; redirects are not followed`);
          if (status < 200 || status >= 300) return fail(`answered HTTP ${status}`);
          resolve({ url: url.toString(), status, contentType: response.headers['content-type'] ?? null, bytes });
        },
        (error) => {
          clearTimeout(deadline);
          request.destroy();
          fail(reasonOf(error));
        },
      );
    });
    request.end();
  });
}

function targetUrl(settings: RestConnectionSettings): URL {
  const base = new URL(settings.baseUrl);
  if (!settings.healthPath) return base;
  const path = `${base.pathname.replace(/\/$/, '')}/${settings.healthPath.replace(/^\//, '')}`;
  return new URL(path, base.origin);
}

function readLimited(response: IncomingMessage, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    response.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) {
        response.destroy();
        reject(new Error(`response is larger than ${limit} bytes`));
      }
    });
    response.on('end', () => resolve(bytes));
    response.on('error', reject);
  });
}
