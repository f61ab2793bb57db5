import type { components } from '../../../packages/client';

export type Me = components['schemas']['MeDto'];

/** What the console offers; each maps to routes of the API that decide the same way (the API stays the judge). */
export const ACTIONS = [
  'tenants.read',
  'tenants.create',
  'tenants.lifecycle',
  'tenants.usage',
  'migrations.run',
  'queue.read',
  'servers.manage',
  'audit.read',
  'data_source.manage',
  'data_audit.read',
  'webhooks.read',
  'webhooks.manage',
  'api_keys.manage',
] as const;

export type Action = (typeof ACTIONS)[number];

/**
 * The actions on a tenant's own `/api` routes, with the tenant permission those routes ask for: whoever's role in
 * the tenant grants it (as GET /auth/me lists it) takes the action, built-in role or custom.
 */
const TENANT_PERMISSION_OF: Partial<Record<Action, string>> = {
  'data_source.manage': 'data_source.manage',
  'data_audit.read': 'audit.read',
  'webhooks.read': 'webhooks.read',
  'webhooks.manage': 'webhooks.manage',
  'api_keys.manage': 'api_keys.manage',
};

const PLATFORM_ADMIN_ONLY: Record<Exclude<Action, 'tenants.read' | 'data_source.manage' | 'data_audit.read'>, string> = {
  'tenants.create': 'Only a platform admin creates tenants.',
  'tenants.lifecycle': 'Only a platform admin suspends, resumes, deletes or retries tenants.',
  'tenants.usage': 'Only a platform admin sees usage.',
  'migrations.run': 'Only a platform admin runs fleet migrations.',
  'queue.read': 'Only a platform admin sees the provisioning queue.',
  'servers.manage': 'Only a platform admin sees the database servers and pools, and drains a server.',
  'audit.read': 'Only a platform admin reads the control-plane audit trail.',
  'webhooks.read':
    "Only a platform admin sees the platform's webhooks; a tenant's are seen signed in to it, by a role granting webhooks.read.",
  'webhooks.manage':
    "Only a platform admin manages the platform's webhooks; a tenant's are managed signed in to it, by a role granting webhooks.manage.",
  'api_keys.manage':
    "Only a platform admin manages the platform's API keys; a tenant's are managed signed in to it, by a role granting api_keys.manage.",
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
  const permission = TENANT_PERMISSION_OF[action];
  if (!permission) return 'The control pages are for platform admins and super admins; tenant roles use the tenant API.';
  if (tenant.permissions.some(({ name }) => name === permission)) return undefined;
  return `Your role ${tenant.role} in ${tenant.name} lacks ${permission}.`;
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
