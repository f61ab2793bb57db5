/** A customer source that cannot be reached or read; the message is safe to show (no secret in it). */
export class DataSourceUnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataSourceUnreachableError';
  }
}

/** A statement or call the customer's system refused for its data (a duplicate key, a value too long): the request's fault. */
export class SourceDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceDataError';
  }
}

/**
 * Drivers sometimes echo connection strings or credentials in their errors; every known secret
 * is replaced before a message leaves the library.
 */
export function scrubbed(message: string, secrets: readonly string[]): string {
  return secrets.reduce((text, secret) => (secret ? text.split(secret).join('[redacted]') : text), message);
}

export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const message = error.message || (typeof code === 'string' ? code : 'unknown error');
    return typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message;
  }
  return String(error);
}
