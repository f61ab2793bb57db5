import { BadRequestException } from '@nestjs/common';
import { createHash } from 'node:crypto';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

const PRINTABLE = /^[\x20-\x7e]+$/;

/**
 * The key of an `Idempotency-Key` header. The IETF draft makes it a structured-field string
 * (`"…"`); the bare form most clients send is accepted too and means the same key.
 */
export function parseIdempotencyKey(header: string | string[]): string {
  if (Array.isArray(header)) throw keyError('send one Idempotency-Key header, not several');
  const key = header.length >= 2 && header.startsWith('"') && header.endsWith('"') ? header.slice(1, -1) : header;
  if (key.length === 0) throw keyError('must not be empty');
  if (key.length > MAX_IDEMPOTENCY_KEY_LENGTH) throw keyError(`must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`);
  if (!PRINTABLE.test(key)) throw keyError('must be printable ASCII');
  return key;
}

/**
 * SHA-256 of what the request asks for: method, path with query, and the JSON body with its keys
 * sorted (key order and whitespace do not change the meaning, so they do not change the fingerprint).
 */
export function requestFingerprint(method: string, url: string, body: unknown): Buffer {
  return createHash('sha256').update(`${method.toUpperCase()} ${url}\n`).update(canonicalJson(body)).digest();
}

export function canonicalJson(value: unknown): string {
  if (value === undefined) return '';
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

function keyError(problem: string): BadRequestException {
  return new BadRequestException({
    message: `Idempotency-Key ${problem}`,
    details: [{ field: `headers.${IDEMPOTENCY_KEY_HEADER}`, problems: [problem] }],
  });
}
