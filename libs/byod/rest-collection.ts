import {
  FieldCodec,
  FieldTranslation,
  ListedRow,
  MappedCollection,
  MappedRecord,
  PageRequest,
  UnmappedFieldError,
  UnsupportedBySourceError,
} from './mapped-collection';
import { EntityMapping } from './mapping-validation';
import { RestResponse, RestSource } from './rest-source';
import { SourceDataError } from './data-source-error';
import { SourceRefusedValueError } from './source-refusal';

const RANGE_SUFFIX: Record<string, string> = { '<': '_lt', '<=': '_lte', '>': '_gt', '>=': '_gte' };

/**
 * One of our entities served from a customer's REST resource, as Tenantry's REST contract says
 * (README, "REST sources"): `GET /{resource}?limit=&offset=&sort=&order=&q=&{field}=&{field}_gte=…`
 * answering an array (or `{items}` / `{data}`), `GET|PATCH|DELETE /{resource}/{key}`,
 * `POST /{resource}`. Pages go by offset. What the contract cannot express — comparing two
 * fields, an atomic conditional change — is refused rather than done unsafely.
 */
export class RestCollection implements MappedCollection {
  private readonly translation: FieldTranslation;
  private readonly resource: string;

  constructor(
    private readonly source: RestSource,
    private readonly mapping: EntityMapping,
    /** Our field that identifies a record (the resource's `/{key}`). */
    private readonly key: string,
    codecs: Record<string, FieldCodec> = {},
  ) {
    this.translation = new FieldTranslation(mapping, codecs);
    this.resource = mapping.table.split('/').map(encodeURIComponent).join('/');
    this.property(key);
  }

  has(field: string): boolean {
    return Object.hasOwn(this.mapping.fields, field);
  }

  async list(page: PageRequest): Promise<ListedRow[]> {
    const offset = page.after ? Number(page.after.key) : 0;
    const query: Record<string, string> = {
      limit: String(Math.max(1, Math.min(1000, Math.trunc(page.limit)))),
      offset: String(Number.isSafeInteger(offset) && offset > 0 ? offset : 0),
      sort: this.property(page.sort.field),
      order: page.sort.direction.toLowerCase(),
    };
    for (const condition of page.conditions) {
      if ('other' in condition)
        throw new UnsupportedBySourceError("Comparing two fields is not part of the REST contract the tenant's API follows");
      if ('fields' in condition) {
        for (const field of condition.fields) this.property(field);
        query.q = condition.value;
      } else {
        query[`${this.property(condition.field)}${condition.op === '=' ? '' : RANGE_SUFFIX[condition.op]}`] = String(
          this.sourceValue(condition),
        );
      }
    }
    const items = recordsOf(await this.expect(await this.source.send('GET', this.resource, query), [200]));
    if (!items) throw new SourceDataError('the list answer is neither an array nor {items: [...]} / {data: [...]}');
    const start = Number(query.offset);
    return items.map((item, index) => ({ record: this.fromSource(item), position: { sortValue: null, key: start + index + 1 } }));
  }

  /** The one source value a comparison sends; the contract has no "none of these", which unknown values would need. */
  private sourceValue(condition: { field: string; op: string; value: unknown }): unknown {
    const match = condition.op === '=' ? this.translation.sourceMatch(condition.field, condition.value) : undefined;
    if (!match) return this.translation.toSource(condition.field, condition.value);
    if (match.unknown || match.values.length !== 1)
      throw new UnsupportedBySourceError(
        `Filtering ${condition.field} by ${String(condition.value)} selects source values outside the value map, which the REST contract the tenant's API follows cannot express`,
      );
    return match.values[0];
  }

  async get(key: unknown): Promise<MappedRecord | null> {
    const response = await this.source.send('GET', this.itemPath(key));
    if (response.status === 404) return null;
    return this.fromSource(await this.expect(response, [200]));
  }

  async insert(record: MappedRecord): Promise<MappedRecord> {
    return this.fromSource(await this.expect(await this.source.send('POST', this.resource, {}, this.toSource(record)), [200, 201]));
  }

  async update(key: unknown, patch: MappedRecord): Promise<MappedRecord | null> {
    const response = await this.source.send('PATCH', this.itemPath(key), {}, this.toSource(patch));
    if (response.status === 404) return null;
    return this.fromSource(await this.expect(response, [200]));
  }

  async increment(): Promise<MappedRecord | null> {
    throw new UnsupportedBySourceError(
      'A REST source cannot change stock atomically (no conditional update in the contract), so stock movements are not available',
    );
  }

  /** The REST contract has no count: pages of up to 1000 are read (by key order) until `limit` or the end. */
  async countUpTo(limit: number): Promise<number> {
    let counted = 0;
    let after: PageRequest['after'];
    while (counted < limit) {
      const wanted = Math.min(1000, limit - counted);
      const page = await this.list({ conditions: [], sort: { field: this.key, direction: 'ASC' }, after, limit: wanted });
      counted += page.length;
      if (page.length < wanted) break;
      after = page[page.length - 1].position;
    }
    return counted;
  }

  /** An API addresses its records by the key in the path, exactly: the key deleted is the key sent. */
  /** An API tells no time of its own. */
  currentTime(): Promise<unknown> {
    return Promise.resolve(undefined);
  }

  async delete(key: unknown): Promise<string | null> {
    const response = await this.source.send('DELETE', this.itemPath(key));
    if (response.status === 404) return null;
    await this.expect(response, [200, 202, 204]);
    return String(key);
  }

  private itemPath(key: unknown): string {
    return `${this.resource}/${encodeURIComponent(String(key))}`;
  }

  /** Our field's property in the API's JSON; a field the mapping leaves out cannot be asked for. */
  private property(field: string): string {
    if (!this.has(field)) throw new UnmappedFieldError(field);
    return this.mapping.fields[field];
  }

  private toSource(record: MappedRecord): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(record)
        .filter(([, value]) => value !== undefined)
        .map(([field, value]) => [this.property(field), this.translation.toSource(field, value)]),
    );
  }

  private fromSource(item: unknown): MappedRecord {
    const object = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(this.mapping.fields).map(([field, property]) => [field, this.translation.fromSource(field, object[property] ?? null)]),
    );
  }

  /** Our field a refusal's `field` property names (the API's property, as mapped), when it names one. */
  private faultOf(body: unknown): string | undefined {
    const property = body && typeof body === 'object' ? (body as { field?: unknown }).field : undefined;
    return Object.keys(this.mapping.fields).find((field) => this.mapping.fields[field] === property);
  }

  /** A refusal by the API (4xx) is about the request's data; anything else unexpected is the API's fault. */
  private async expect(response: RestResponse, statuses: number[]): Promise<unknown> {
    if (statuses.includes(response.status)) return response.body;
    const said =
      typeof response.body === 'object' && response.body && 'message' in response.body
        ? `: ${String(response.body.message).slice(0, 300)}`
        : '';
    if (REFUSAL_STATUSES.has(response.status))
      throw new SourceRefusedValueError(
        response.status === 409 ? 'conflict' : 'invalid',
        `HTTP ${response.status}${said}`,
        undefined,
        this.faultOf(response.body),
      );
    if (response.status >= 400 && response.status < 500) throw new SourceDataError(`HTTP ${response.status}${said}`);
    throw new SourceDataError(`unexpected HTTP ${response.status}${said}`);
  }
}

/** The answers of the REST contract by which an API refuses a write for its data (README). */
const REFUSAL_STATUSES = new Set([400, 409, 422]);

/** The records of a list answer: an array, or one wrapped as {items: [...]} or {data: [...]}; undefined when it is neither. */
export function recordsOf(body: unknown): unknown[] | undefined {
  if (Array.isArray(body)) return body as unknown[];
  const wrapped = body && typeof body === 'object' ? ((body as { items?: unknown }).items ?? (body as { data?: unknown }).data) : undefined;
  return Array.isArray(wrapped) ? wrapped : undefined;
}
