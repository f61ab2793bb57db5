import { InvalidListQueryError } from './record-errors';

export type SortDirection = 'ASC' | 'DESC';

export interface SortOrder<Property extends string> {
  property: Property;
  direction: SortDirection;
}

/** The values a list's `sort` accepts: each property ascending, then each descending (`-name`). */
export function sortOptions(properties: readonly string[]): string[] {
  return [...properties, ...properties.map((property) => `-${property}`)];
}

/** `'-name'` as `{ property: 'name', direction: 'DESC' }`; a property outside `allowed` is refused (400 naming `sort`). */
export function parseSort<Property extends string>(sort: string, allowed: readonly Property[]): SortOrder<Property> {
  const { property, direction } = splitSort(sort);
  if (!isAllowed(property, allowed)) throw new InvalidListQueryError('sort', `sort must be one of ${sortOptions(allowed).join(', ')}`);
  return { property, direction };
}

/** `'-name'` as `{ property: 'name', direction: 'DESC' }`, for callers that map any property themselves. */
export function splitSort(sort: string): SortOrder<string> {
  return { property: sort.replace(/^-/, ''), direction: sort.startsWith('-') ? 'DESC' : 'ASC' };
}

function isAllowed<Property extends string>(property: string, allowed: readonly Property[]): property is Property {
  return (allowed as readonly string[]).includes(property);
}
