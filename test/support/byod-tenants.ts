import { createTenant, loginAs } from './factories';
import { HttpClient } from './http-client';

/** A data source as a platform admin sets it: `{kind, connection}` plus what the tenant maps. */
export interface ByodSource {
  settings: object;
  entities: object;
  readOnly?: boolean;
}

/**
 * Sets, tests, maps and activates `source` as the tenant's data source, each step answered 200;
 * returns the data source's route (`/control/tenants/{id}/data-source`).
 */
export async function activateDataSource(api: HttpClient, adminToken: string, tenantId: string, source: ByodSource): Promise<string> {
  const base = `/control/tenants/${tenantId}/data-source`;
  const steps = [
    () => api.put(base, { ...source.settings, readOnly: source.readOnly ?? false }, { token: adminToken }),
    () => api.post(`${base}/test`, undefined, { token: adminToken }),
    () => api.put(`${base}/mappings`, { entities: source.entities }, { token: adminToken }),
    () => api.post(`${base}/activate`, undefined, { token: adminToken }),
  ];
  for (const step of steps) {
    const answer = await step();
    if (answer.status !== 200) throw new Error(`onboarding ${base} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
  return base;
}

/** A new byod tenant (professional plan) served from `source`, with its admin's access token. */
export async function activeByodTenant(api: HttpClient, adminToken: string, source: ByodSource) {
  const tenant = await createTenant(api, adminToken, { placement: 'byod', plan: 'professional' });
  const base = await activateDataSource(api, adminToken, tenant.id, source);
  const token = (await loginAs(api, tenant.admin.email, tenant.admin.password)).accessToken;
  return { tenant, token, base };
}
