/**
 * What JSON.stringify writes for a character PostgreSQL's jsonb refuses: NUL, or an unpaired surrogate (a pair is
 * written as it is), as an escape: a backslash not itself escaped (an odd run of them) before `u`.
 */
const REFUSED_ESCAPE = /(?<!\\)(?:\\\\)*\\u(?:0000|d[89a-f])/i;
const REPLACEMENT = '\ufffd';

/**
 * Whether JSON text (as JSON.stringify writes it) holds a character PostgreSQL's jsonb refuses: U+0000 or an
 * unpaired surrogate (an "unsupported Unicode escape sequence"). Cheap on text that holds no `\u` at all.
 */
export function jsonbRefuses(json: string): boolean {
  return json.includes('\\u') && REFUSED_ESCAPE.test(json);
}

/**
 * `value` as jsonb can hold it: data read from elsewhere (a customer's own database) may hold
 * U+0000 or unpaired surrogates, which jsonb refuses; each is replaced by U+FFFD, the Unicode
 * replacement character, in keys and strings alike. A value holding neither is returned as it is.
 */
export function storableInJsonb<T>(value: T): T {
  const json = JSON.stringify(value);
  if (json === undefined || !jsonbRefuses(json)) return value;
  return JSON.parse(json, (_key, inner: unknown) => (typeof inner === 'string' ? storableText(inner) : cleanKeys(inner))) as T;
}

/** `toWellFormed` replaces each unpaired surrogate with U+FFFD. */
function storableText(text: string): string {
  return text.replaceAll('\0', REPLACEMENT).toWellFormed();
}

/** An object's keys made storable (values are handled by the reviver on their own). */
function cleanKeys(inner: unknown): unknown {
  if (inner === null || typeof inner !== 'object' || Array.isArray(inner)) return inner;
  const keys = Object.keys(inner);
  if (keys.every((key) => storableText(key) === key)) return inner;
  return Object.fromEntries(Object.entries(inner).map(([key, value]) => [storableText(key), value]));
}
