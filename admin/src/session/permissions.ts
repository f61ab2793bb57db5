import type { components } from '../../../packages/client';

export type Me = components['schemas']['MeDto'];

/** What the console offers; each maps to routes of the API that decide the same way (the API stays the judge). */
export type Action =
  | 'tenants.read'
  | 'tenants.create'
  | 'tenants.lifecycle'
  | 'tenants.usage'
  | 'migrations.run'
  | 'queue.read'
  | 'servers.manage'
  | 'audit.read'
  | 'data_source.manage'
  | 'data_audit.read'
  | 'webhooks.manage'
  | 'api_keys.manage';

/** The actions on a tenant's own `/api` routes, which its admin takes (their tenant role grants `…manage`). */
const TENANT_ADMIN_ACTIONS: readonly Action[] = ['data_source.manage', 'data_audit.read', 'webhooks.manage', 'api_keys.manage'];

const PLATFORM_ADMIN_ONLY: Record<Exclude<Action, 'tenants.read' | 'data_source.manage' | 'data_audit.read'>, string> = {
  'tenants.create': 'Only a platform admin creates tenants.',
  'tenants.lifecycle': 'Only a platform admin suspends, resumes, deletes or retries tenants.',
  'tenants.usage': 'Only a platform admin sees usage.',
  'migrations.run': 'Only a platform admin runs fleet migrations.',
  'queue.read': 'Only a platform admin sees the provisioning queue.',
  'servers.manage': 'Only a platform admin sees the database servers and pools, and drains a server.',
  'audit.read': 'Only a platform admin reads the control-plane audit trail.',
  'webhooks.manage': "Only a platform admin manages the platform's webhooks; a tenant admin manages their tenant's.",
  'api_keys.manage': "Only a platform admin manages the platform's API keys; a tenant admin manages their tenant's.",
};

/** Why `me` may not do `action` (shown beside what is disabled), or undefined when they may. */
export function denial(me: Me, action: Action): string | undefined {
  if (me.tenant && !me.platformRole) return tenantDenial(me.tenant, action);
  if (action === 'data_source.manage') return "A byod tenant's own admin brings its database, signed in to that tenant.";
  // No /control route reads a tenant's data: its audit trail is its admins' to read, on the tenant's /api.
  if (action === 'data_audit.read') return "A tenant's data audit trail is read by its own admins, signed in to that tenant.";
  if (me.platformRole === 'platform_admin') return undefined;
  if (me.platformRole === 'super_admin') return action === 'tenants.read' ? undefined : PLATFORM_ADMIN_ONLY[action];
  return 'The control pages are for platform admins and super admins; tenant roles use the tenant API.';
}

function tenantDenial(tenant: NonNullable<Me['tenant']>, action: Action): string | undefined {
  if (!TENANT_ADMIN_ACTIONS.includes(action))
    return 'The control pages are for platform admins and super admins; tenant roles use the tenant API.';
  if (tenant.role === 'tenant_admin') return undefined;
  return `Only a tenant admin of ${tenant.name} does this; you are ${tenant.role.replace('_', ' ')}.`;
}

export function may(me: Me, action: Action): boolean {
  return denial(me, action) === undefined;
}

/** Which routes the webhooks and API keys pages use: the tenant's own (`/api`) when signed in to one, else the platform's (`/control`). */
export type Scope = 'tenant' | 'platform';

export function scopeOf(me: Me): Scope {
  return me.tenant && !me.platformRole ? 'tenant' : 'platform';
}

/** The role named in the header: the platform role, else the role in the signed-in tenant. */
export function roleLabel(me: Me): string {
  if (me.platformRole) return me.platformRole.replace('_', ' ');
  if (me.tenant) return `${me.tenant.role.replace('_', ' ')} of ${me.tenant.name}`;
  return 'no role';
}
