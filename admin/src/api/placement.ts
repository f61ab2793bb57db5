import type { components } from '../../../packages/client';
import { api, call } from './client';

export type DatabaseServer = components['schemas']['DatabaseServerDto'];
export type TenantPool = components['schemas']['TenantPoolDto'];
export type ServerDrain = components['schemas']['ServerDrainDto'];

export const listDatabaseServers = () => call(() => api.GET('/control/database-servers'));
export const listTenantPools = () => call(() => api.GET('/control/tenant-pools'));
export const drainDatabaseServer = (id: string) =>
  call(() => api.POST('/control/database-servers/{id}/drain', { params: { path: { id } } }));

/** Where tenant data can live: the servers and the pooled databases on them, each with its fill. */
export async function placementOverview(): Promise<{ servers: DatabaseServer[]; pools: TenantPool[] }> {
  const [servers, pools] = await Promise.all([listDatabaseServers(), listTenantPools()]);
  return { servers, pools };
}

/** The tenants in the pools on a server (they move off it when it drains; the pools themselves stay). */
export const pooledTenantsOn = (server: DatabaseServer, pools: TenantPool[]) =>
  pools.filter((pool) => pool.databaseServerId === server.id).reduce((sum, pool) => sum + pool.tenants, 0);

/** A draining server still holds tenants: the page keeps asking until they have moved off. */
export const isDraining = ({ servers, pools }: { servers: DatabaseServer[]; pools: TenantPool[] }) =>
  servers.some((server) => server.status === 'draining' && server.tenantDatabases + pooledTenantsOn(server, pools) > 0);
