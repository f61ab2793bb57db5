const NUL = '\u0000';

/** The parts of a request the application reads, as Fastify has decoded them. */
export interface RequestParts {
  /** The raw request target (path and query, still percent-encoded). */
  url: string;
  params?: unknown;
  query?: unknown;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

/**
 * Where the first U+0000 in a request is, as a field name (`path.id`, `query.search`,
 * `headers.x-tenant-id`, `body.items[0].name`), or undefined when there is none. PostgreSQL cannot
 * store NUL in text, and C-string code below us truncates at it, so no layer should ever see one.
 */
export function findNul(request: RequestParts): string | undefined {
  const param = inFlatRecord(request.params, 'path');
  return (
    (param === 'path.*' ? 'path' : param) ?? // `*`: the wildcard of the not-found route, not a parameter of ours
    (/%00/i.test(pathOf(request.url)) ? 'path' : undefined) ??
    inFlatRecord(request.query, 'query') ??
    inFlatRecord(request.headers, 'headers') ??
    inJson(request.body, 'body')
  );
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Params, the query and headers: names mapped to a string or a list of strings. */
function inFlatRecord(record: unknown, prefix: string): string | undefined {
  if (record === null || typeof record !== 'object') return undefined;
  for (const [name, value] of Object.entries(record)) {
    if (name.includes(NUL)) return `${prefix}.${printable(name)}`;
    const values: unknown[] = Array.isArray(value) ? value : [value];
    if (values.some((item) => typeof item === 'string' && item.includes(NUL))) return `${prefix}.${name}`;
  }
  return undefined;
}

/** Every string of a parsed JSON body, keys included, walked with a stack (no recursion). */
function inJson(body: unknown, root: string): string | undefined {
  const pending: Array<{ value: unknown; path: string }> = [{ value: body, path: root }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      if (value.includes(NUL)) return path;
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) pending.push({ value: value[index], path: `${path}[${index}]` });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value);
      for (const [key] of entries) if (key.includes(NUL)) return `${path}.${printable(key)}`;
      for (let index = entries.length - 1; index >= 0; index--) pending.push({ value: entries[index][1], path: `${path}.${entries[index][0]}` });
    }
  }
  return undefined;
}

/** A name that itself holds NUL, shown with the character escaped. */
function printable(name: string): string {
  return name.split(NUL).join('\\u0000');
}
