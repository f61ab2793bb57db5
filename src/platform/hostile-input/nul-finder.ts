const NUL = '\u0000';

/*
 * PostgreSQL cannot store U+0000 in text and C-string code below us truncates at it, so no layer
 * should ever see one: these find where a request holds one, as the field name a 400 gives.
 */

/** The parts of a request besides its body, as Fastify has decoded them. */
export interface RequestParts {
  /** The raw request target (path and query, still percent-encoded). */
  url: string;
  params?: unknown;
  query?: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** Where the first U+0000 in the path, query or headers is (`path.id`, `query.search`, `headers.x-tenant-id`). */
export function findNulOutsideBody(request: RequestParts): string | undefined {
  const param = inFlatRecord(request.params, 'path');
  return (
    (param === 'path.*' ? 'path' : param) ?? // `*`: the wildcard of the not-found route, not a parameter of ours
    (/%00/i.test(pathOf(request.url)) ? 'path' : undefined) ??
    inFlatRecord(request.query, 'query') ??
    inFlatRecord(request.headers, 'headers')
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

/** A value met while walking a body; its path is spelled out only for the one holding a NUL. */
interface Visit {
  value: unknown;
  parent?: Visit;
  step?: string;
}

/** Where the first U+0000 among every key and string of a parsed JSON body is (`body.items[0].name`). */
export function findNulInJson(body: unknown, root = 'body'): string | undefined {
  return findStringInJson(body, (text) => text.includes(NUL), root);
}

/** Where the first key or string of a parsed JSON body that `holds` is, walked with a stack. */
export function findStringInJson(body: unknown, holds: (text: string) => boolean, root = 'body'): string | undefined {
  const pending: Visit[] = [{ value: body }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { value } = visit;
    if (typeof value === 'string') {
      if (holds(value)) return pathOfVisit(root, visit);
    } else if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) pending.push({ value: value[index], parent: visit, step: `[${index}]` });
    } else if (value !== null && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      for (const [key] of entries) {
        if (holds(key)) return pathOfVisit(root, { value: key, parent: visit, step: `.${printable(key)}` });
      }
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, inner] = entries[index];
        pending.push({ value: inner, parent: visit, step: `.${key}` });
      }
    }
  }
  return undefined;
}

function pathOfVisit(root: string, visit: Visit): string {
  const steps: string[] = [];
  for (let at: Visit | undefined = visit; at?.step !== undefined; at = at.parent) steps.push(at.step);
  return root + steps.reverse().join('');
}

/** A name that itself holds NUL, shown with the character escaped. */
function printable(name: string): string {
  return name.split(NUL).join('\\u0000');
}
