export const DATA_SOURCE_KINDS = ['postgres', 'mysql', 'rest'] as const;
export type DataSourceKind = (typeof DATA_SOURCE_KINDS)[number];
export type SqlDialect = Exclude<DataSourceKind, 'rest'>;

export interface TlsSettings {
  enabled: boolean;
  /** false accepts self-signed certificates; the connection is still encrypted. */
  rejectUnauthorized: boolean;
}

export interface SqlConnectionSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** PostgreSQL only: the schema holding the customer's tables (default `public`). */
  schema?: string;
  tls?: TlsSettings;
}

export interface RestConnectionSettings {
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; other schemes go in `headers`. */
  apiKey?: string;
  headers?: Record<string, string>;
  /** Path (below baseUrl) answered by a cheap GET; defaults to baseUrl itself. */
  healthPath?: string;
}

export type DataSourceSettings =
  | { kind: 'postgres'; connection: SqlConnectionSettings }
  | { kind: 'mysql'; connection: SqlConnectionSettings }
  | { kind: 'rest'; connection: RestConnectionSettings };

/** Every secret value in a source's connection settings, so error messages can be scrubbed of them. */
export function secretsOf(connection: SqlConnectionSettings | RestConnectionSettings): string[] {
  const values = 'password' in connection ? [connection.password] : [connection.apiKey, ...Object.values(connection.headers ?? {})];
  return values.filter((value): value is string => typeof value === 'string' && value.length > 0);
}
