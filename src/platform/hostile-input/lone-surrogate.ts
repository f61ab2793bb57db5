import { findStringInJson } from './nul-finder';

/** A UTF-16 surrogate without its other half: not a character, so no text can hold it. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Where the first unpaired surrogate among the keys and strings of a parsed JSON body is. A body
 * decoded from UTF-8 can only hold one written as a `\uD800`–`\uDFFF` escape, so `text` without
 * such an escape needs no walk. Left in, it crashes validators that URI-encode (isEmail: URIError,
 * a 500) and turns into U+FFFD on its way to PostgreSQL, silently changing what was sent.
 */
export function findLoneSurrogateInJson(text: string, parsed: unknown, root = 'body'): string | undefined {
  return /\\u[dD][89a-fA-F]/.test(text) ? findStringInJson(parsed, (value) => LONE_SURROGATE.test(value), root) : undefined;
}
