import type { components } from '../../../packages/client';
import { api, call } from './client';

type DataSourceBody = components['schemas']['DataSourceDto'];
export type ConnectionSettings = components['schemas']['ConfigureDataSourceDto'];
export type EntityMappings = components['schemas']['EntityMappingsDto'];
export type MappingSuggestions = components['schemas']['MappingSuggestionsDto'];

/**
 * The documented shapes of what the OpenAPI document leaves as plain objects (DataSourceDto's
 * `connection`, `introspection` and `mappings`): the console reads them as the API describes them.
 */
export interface IntrospectedColumn {
  name: string;
  type: string;
  rawType: string;
  nullable: boolean;
  primaryKey: boolean;
  hasDefault: boolean;
  allowedValues?: { from: string; members: string[] };
  maxLength?: number;
}
export interface IntrospectedTable {
  name: string;
  columns: IntrospectedColumn[];
}
export interface PublicConnection {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  passwordSet?: boolean;
  schema?: string;
  tls?: { enabled: boolean; rejectUnauthorized: boolean };
  baseUrl?: string;
  healthPath?: string;
  apiKeySet?: boolean;
}
export type DataSource = Omit<DataSourceBody, 'connection' | 'introspection' | 'mappings'> & {
  connection: PublicConnection;
  introspection?: { kind: string; tables: IntrospectedTable[] } | null;
  mappings?: EntityMappings | null;
};

const read = (body: DataSourceBody) => body as unknown as DataSource;

/** The tenant's own data source on its `/api/tenant/data-source` routes (tenant admins, `data_source.manage`). */
export const getDataSource = async () => read(await call(() => api.GET('/api/tenant/data-source')));
export const configureDataSource = async (body: ConnectionSettings) => read(await call(() => api.PUT('/api/tenant/data-source', { body })));
export const testDataSource = async () => read(await call(() => api.POST('/api/tenant/data-source/test')));
export const saveMappings = async (entities: EntityMappings) =>
  read(await call(() => api.PUT('/api/tenant/data-source/mappings', { body: { entities } })));
export const activateDataSource = async () => read(await call(() => api.POST('/api/tenant/data-source/activate')));
export const mappingSuggestions = () => call(() => api.GET('/api/tenant/data-source/mapping-suggestions'));
export const tenantProfile = () => call(() => api.GET('/api/tenant'));
export const firstContacts = () => call(() => api.GET('/api/contacts', { params: { query: { limit: 5 } } }));
