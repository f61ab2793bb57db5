import { ApiError } from '../api/errors';

/**
 * The problems the API named for one request field (its `details`, e.g. `connection.host` or
 * `mappings.contact.fields.last_name`), joined for an input's error text; undefined when none.
 */
export function problemsAt(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const problems = error.body.details?.filter((detail) => detail.field === field).flatMap((detail) => detail.problems) ?? [];
  return problems.length > 0 ? problems.join('; ') : undefined;
}

/** Whether the API named any problem at `field` or below it (`mappings.contact` covers its fields). */
export function hasProblemsUnder(error: unknown, prefix: string): boolean {
  return (
    error instanceof ApiError &&
    (error.body.details ?? []).some((detail) => detail.field === prefix || detail.field.startsWith(`${prefix}.`))
  );
}
