/** A class whose OpenAPI schema describes a record carried by an event (the DTO the API returns). */
export type RecordSchema = abstract new (...args: never[]) => object;

/**
 * One event type as a domain declares it: its stable name, the version of its data, and what the
 * data holds. A breaking change to the data is a new version; adding a field is not.
 */
export interface EventTypeDeclaration {
  type: string;
  version: number;
  description: string;
  /** The schema of `data.record`, when the event carries the record as the API returns it. */
  record?: RecordSchema;
  /** The other fields of `data`, by name, each with what it holds. */
  fields: Record<string, string>;
  /** `platform`: about no tenant's data, for the platform's subscribers only (a tenant's never receive it). */
  audience?: 'platform';
}

/** A domain's event types by name, refusing a name declared twice. */
export function eventCatalog(declarations: readonly EventTypeDeclaration[]): ReadonlyMap<string, EventTypeDeclaration> {
  const catalog = new Map<string, EventTypeDeclaration>();
  for (const declaration of declarations) {
    if (catalog.has(declaration.type)) throw new Error(`Event type ${declaration.type} is declared twice`);
    catalog.set(declaration.type, declaration);
  }
  return catalog;
}
