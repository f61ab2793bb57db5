import type { components, operations } from '../../../packages/client';
import { api, call } from './client';

export type DataAuditEntry = components['schemas']['DataAuditEntryDto'];
export type DataAuditQuery = NonNullable<operations['tenantAudit_list']['parameters']['query']>;
export type TenantUser = components['schemas']['MemberDto'];

/** The signed-in tenant's data audit trail (`/api/audit`): changes to its records, newest first. */
export const listDataAudit = (query: DataAuditQuery) => call(() => api.GET('/api/audit', { params: { query } }));

/** The signed-in tenant's users, to name the actors of its changes. */
export const listTenantUsers = () => call(() => api.GET('/api/users'));

export const DATA_AUDIT_ACTIONS = ['create', 'update', 'delete'] as const;
