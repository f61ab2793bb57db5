import { Span } from '@opentelemetry/api';
import { ATTR_DB_QUERY_TEXT } from '@opentelemetry/semantic-conventions';

/** A password literal in SQL (`PASSWORD 'x'`, or `PASSWORD E'x'` when it holds a backslash): roles are created that way. */
const PASSWORD_LITERAL = /\bPASSWORD\s+E?'(?:[^']|'')*'/gi;

/**
 * Statements that cannot take parameters carry credentials as literals (CREATE/ALTER ROLE … PASSWORD,
 * libs/tenancy/postgres-admin.ts); a span must never export them, as no log line does.
 */
export function redactQueryTextSecrets(span: Span, text: string | undefined): void {
  if (!text) return;
  const redacted = redactedQueryText(text);
  if (redacted !== text) span.setAttribute(ATTR_DB_QUERY_TEXT, redacted);
}

export function redactedQueryText(text: string): string {
  return text.replace(PASSWORD_LITERAL, "PASSWORD '[redacted]'");
}
