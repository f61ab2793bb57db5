/** What an erased address is replaced with wherever it was written (tenant tables, events, webhook logs). */
export const ERASED = '[erased]';

/** A case-insensitive regular expression (for `~*` and `regexp_replace(..., 'gi')`) matching the address literally. */
export function addressPattern(email: string): string {
  return email.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Records whose events are to lose what they said about a person: the events of `entity`
 * (`<entity>.<what happened>`) whose `data.record.id` is one of `ids`. Each such event keeps its
 * type and record id; the record's fields named in `anonymised` take those values, and its
 * `changes` (the before and after of an update) become `{ "erased": true }`.
 */
export interface ErasedRecords {
  entity: string;
  ids: readonly string[];
  anonymised: Record<string, unknown>;
}

/** SQL: the events (`type`, event `data` expressions) about the records (`$entity`, `$ids` as text[] parameters). */
export function eventsAboutRecords(type: string, data: string, entityParam: string, idsParam: string): string {
  return `starts_with(${type}, ${entityParam}::text || '.') AND ${data}->'record'->>'id' = ANY(${idsParam}::text[])`;
}

/** SQL: the event data `data` with its record anonymised by `$anonymised` (a jsonb parameter) and its changes erased. */
export function anonymisedEventData(data: string, anonymisedParam: string): string {
  return (
    `(jsonb_set(${data}, '{record}', (${data}->'record') || ${anonymisedParam}::jsonb)` +
    ` || CASE WHEN ${data} ? 'changes' THEN '{"changes": {"erased": true}}'::jsonb ELSE '{}'::jsonb END)`
  );
}
