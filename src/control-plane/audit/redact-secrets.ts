const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|credential|private[-_]?key|authorization/i;

export const REDACTED = '[redacted]';

/** Deep copy with every value under a secret-looking key replaced, so audit rows never hold secrets. */
export function redactSecrets<T>(value: T): T {
  if (Array.isArray(value)) return (value as unknown[]).map((item) => redactSecrets(item)) as T;
  if (value instanceof Date) return value;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? REDACTED : redactSecrets(inner)]),
    ) as T;
  }
  return value;
}
