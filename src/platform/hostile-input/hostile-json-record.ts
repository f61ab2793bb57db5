import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth';
import { findLoneSurrogateInJson } from './lone-surrogate';
import { findNulInJson } from './nul-finder';

/**
 * What the API would refuse in a JSON record read from a file rather than a request body (an NDJSON
 * import's line): the same rules as refuseHostileInput, as a problem to report for that record
 * (`nests …`, `holds … in email`), or undefined when there is none. Left in, a NUL or an unpaired
 * surrogate fails the statement writing the whole batch, and deep nesting overflows the recursive
 * checks that follow.
 */
export function hostileJsonRecordProblem(text: string, parsed: unknown): string | undefined {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) return `nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels`;
  const nul = text.includes('\\u0000') ? findNulInJson(parsed, '') : undefined;
  if (nul !== undefined) return `holds the NUL character (U+0000) in ${fieldName(nul)}`;
  const surrogate = findLoneSurrogateInJson(text, parsed, '');
  if (surrogate !== undefined) return `holds an unpaired surrogate (U+D800–U+DFFF) in ${fieldName(surrogate)}`;
  return undefined;
}

/** A path found from the root '' (`.customFields.note`) as a field name (`customFields.note`). */
function fieldName(path: string): string {
  return path.startsWith('.') ? path.slice(1) : path || 'the record';
}
