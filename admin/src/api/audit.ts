import type { components, operations } from '../../../packages/client';
import { api, call } from './client';

export type AuditEntry = components['schemas']['AuditEntryDto'];
export type AuditQuery = NonNullable<operations['audit_list']['parameters']['query']>;

export const listAudit = (query: AuditQuery) => call(() => api.GET('/control/audit', { params: { query } }));
