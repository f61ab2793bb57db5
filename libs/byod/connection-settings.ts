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

/** Every secret value in the settings, so error messages can be scrubbed of them. */
export function secretsOf(settings: DataSourceSettings): string[] {
  const values =
    settings.kind === 'rest'
      ? [settings.connection.apiKey, ...Object.values(settings.connection.headers ?? {})]
      : [settings.connection.password];
  return values.filter((value): value is string => typeof value === 'string' && value.length > 0);
}
