import type { components, operations } from '../../../packages/client';
import { api, call } from './client';

export type Tenant = components['schemas']['TenantDto'];
export type TenantDetail = components['schemas']['TenantDetailDto'];
export type TenantPage = components['schemas']['TenantPageDto'];
export type TenantQuery = NonNullable<operations['tenants_list']['parameters']['query']>;
export type NewTenant = components['schemas']['CreateTenantDto'];

export const TENANT_STATUSES = ['provisioning', 'active', 'suspended', 'failed', 'deleted', 'purged'] as const;
export const PLACEMENTS = ['pooled', 'dedicated', 'byod'] as const;
/** The provisioning job's steps, in order (ProvisioningStepDto.step). */
export const PROVISIONING_STEPS = ['place', 'database', 'defaults', 'admin', 'activate'] as const;

export const listTenants = (query: TenantQuery) => call(() => api.GET('/control/tenants', { params: { query } }));
export const getTenant = (id: string) => call(() => api.GET('/control/tenants/{id}', { params: { path: { id } } }));
export const createTenant = (body: NewTenant) => call(() => api.POST('/control/tenants', { body }));
export const listMembers = (id: string) => call(() => api.GET('/control/tenants/{id}/members', { params: { path: { id } } }));
export const listInvitations = (id: string) => call(() => api.GET('/control/tenants/{id}/invitations', { params: { path: { id } } }));
export const inviteMember = (id: string, body: { email: string; role: string }) =>
  call(() => api.POST('/control/tenants/{id}/invitations', { params: { path: { id } }, body }));
export const tenantUsage = (id: string) => call(() => api.GET('/control/tenants/{id}/usage', { params: { path: { id } } }));

const path = (id: string) => ({ params: { path: { id } } });

/** The lifecycle moves of a tenant, each a route of its own. */
export const tenantLifecycle = {
  suspend: (id: string) => call(() => api.POST('/control/tenants/{id}/suspend', path(id))),
  resume: (id: string) => call(() => api.POST('/control/tenants/{id}/resume', path(id))),
  retry: (id: string) => call(() => api.POST('/control/tenants/{id}/retry', path(id))),
  remove: (id: string) => call(() => api.DELETE('/control/tenants/{id}', path(id))),
  restore: (id: string) => call(() => api.POST('/control/tenants/{id}/restore', path(id))),
  purge: (id: string) => call(() => api.POST('/control/tenants/{id}/purge', path(id))),
};

/** Still changing on its own: the page keeps asking. */
export const isSettling = (tenant: { status: string }) => tenant.status === 'provisioning';
