/**
 * An endpoint's event filters: `*` (every event), `<entity>.*` (every event of an entity, e.g.
 * `invoice.*`) or one type (`invoice.paid`), in the `<entity>.<what happened>` form of domain
 * event types (lower case, digits and underscores).
 */
export const EVENT_TYPE_FILTER_PATTERN = /^(\*|[a-z][a-z0-9_]{0,30}\.(\*|[a-z][a-z0-9_]{0,30}))$/;

/** The event a test-send delivers; no filter needs to name it. */
export const TEST_EVENT_TYPE = 'webhook.test';

export function filterMatches(filter: string, type: string): boolean {
  if (filter === '*') return true;
  if (filter.endsWith('.*')) return type.startsWith(filter.slice(0, -1));
  return filter === type;
}

export function anyFilterMatches(filters: readonly string[], type: string): boolean {
  return filters.some((filter) => filterMatches(filter, type));
}

/** The filters as SQL can match them: exact types, and the prefixes (`invoice.`; `''` for `*`) of the wildcards. */
export function filtersAsSql(filters: readonly string[]): { exact: string[]; prefixes: string[] } {
  return {
    exact: filters.filter((filter) => !filter.endsWith('*')),
    prefixes: filters.filter((filter) => filter.endsWith('*')).map((filter) => filter.slice(0, -1)),
  };
}

/** The filters that match none of `knownTypes` (a typo, or a type nobody raises): `*` always matches something. */
export function filtersMatchingNothing(filters: readonly string[], knownTypes: readonly string[]): string[] {
  return filters.filter((filter) => !knownTypes.some((type) => filterMatches(filter, type)));
}
