import { RestConnectionSettings } from './connection-settings';
import { DataSourceUnreachableError } from './data-source-error';
import { ColumnType, IntrospectedColumn, IntrospectedTable, Introspection } from './introspection';
import { NetworkPolicy } from './network-guard';
import { recordsOf } from './rest-collection';
import { RestSource } from './rest-source';

const SAMPLE_SIZE = 20;

/**
 * A REST API has no catalog, so what a mapping can be checked against is read from a sample:
 * `GET /{resource}?limit=20` for each mapped resource, each property's type inferred from the
 * JSON values seen (strings → text, whole numbers → integer, other numbers → decimal, booleans,
 * objects → json; mixed or only nulls → other). A resource with no records cannot be checked.
 */
export async function sampleRestResources(
  settings: RestConnectionSettings,
  resources: string[],
  options: NetworkPolicy & { timeoutMs: number; maxResponseBytes: number },
): Promise<Introspection> {
  const source = new RestSource(settings, { ...options, retries: 0, breakerResetMs: options.timeoutMs });
  try {
    const tables: IntrospectedTable[] = [];
    for (const resource of [...new Set(resources)]) {
      const response = await source.send('GET', resource.split('/').map(encodeURIComponent).join('/'), {
        limit: String(SAMPLE_SIZE),
        offset: '0',
      });
      const items = recordsOf(response.body);
      if (response.status !== 200 || !items)
        throw new DataSourceUnreachableError(`GET /${resource} answered HTTP ${response.status} without a list of records`);
      if (items.length === 0)
        throw new DataSourceUnreachableError(
          `GET /${resource} answered no records; the mapping is checked against a sample, so the resource needs at least one`,
        );
      tables.push({ name: resource, columns: columnsOf(items) });
    }
    return { kind: 'rest', tables };
  } finally {
    source.close();
  }
}

function columnsOf(items: unknown[]): IntrospectedColumn[] {
  const objects = items.filter((item): item is Record<string, unknown> => !!item && typeof item === 'object' && !Array.isArray(item));
  const names = [...new Set(objects.flatMap((object) => Object.keys(object)))];
  return names.map((name) => {
    const values = objects.map((object) => object[name]);
    const present = values.filter((value) => value !== null && value !== undefined);
    const kinds = [...new Set(present.map(jsonKind))];
    const type: ColumnType =
      kinds.length === 1 ? kinds[0] : kinds.length === 2 && kinds.includes('integer') && kinds.includes('decimal') ? 'decimal' : 'other';
    return {
      name,
      type,
      rawType: `json ${kinds.join('|') || 'null (no values in the sample)'}`,
      nullable: present.length < values.length,
      hasDefault: false,
      primaryKey: false,
    };
  });
}

function jsonKind(value: unknown): ColumnType {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'decimal';
  if (typeof value === 'boolean') return 'boolean';
  return 'json';
}
