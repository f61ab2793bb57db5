import { TextInput } from '@mantine/core';
import { navigate } from '../router';
import { textField } from './form-fields';

/*
 * A list page's filters live in its URL (`/audit?action=…&from=…`): a search survives a reload, can be shared, and
 * the browser's back button returns to the previous one. The page reads them back with useSearch().
 */

/** Goes to `path` with the submitted form's non-empty `names` as its query, after the `carried` parameters (e.g. a page size). */
export function navigateToFiltered(path: string, form: FormData, names: readonly string[], carried: Record<string, string> = {}): void {
  const params = new URLSearchParams(carried);
  for (const name of names) {
    const value = textField(form, name);
    if (value) params.set(name, value);
  }
  navigate(`${path}${params.size ? `?${params}` : ''}`);
}

/** The URL's values of `names`, the empty ones left out, as an API query's fields (the API checks them). */
export function filtersOf<Name extends string>(search: URLSearchParams, names: readonly Name[]): Partial<Record<Name, string>> {
  const filters: Partial<Record<Name, string>> = {};
  for (const name of names) {
    const value = search.get(name);
    if (value) filters[name] = value;
  }
  return filters;
}

const TIME_RANGE = [
  { name: 'from', label: 'From', description: 'Included' },
  { name: 'to', label: 'Until', description: 'Excluded' },
] as const;

export const TIME_RANGE_NAMES = TIME_RANGE.map((field) => field.name);

/** The From and Until fields of a search in time, typed in local time. */
export function TimeRangeInputs({ search }: { search: URLSearchParams }) {
  return TIME_RANGE.map((field) => (
    <TextInput key={field.name} {...field} type="datetime-local" defaultValue={search.get(field.name) ?? ''} w={210} />
  ));
}

/** The URL's time range as the API takes it: instants (the fields hold local times). */
export function timeRangeOf(search: URLSearchParams): { from?: string; to?: string } {
  const range: { from?: string; to?: string } = {};
  for (const name of TIME_RANGE_NAMES) {
    const value = search.get(name);
    if (value) range[name] = new Date(value).toISOString();
  }
  return range;
}
