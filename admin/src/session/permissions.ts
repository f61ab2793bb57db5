import type { components } from '../../../packages/client';

export type Me = components['schemas']['MeDto'];

/** What the console offers; each maps to routes of the API that decide the same way (the API stays the judge). */
export type Action =
  'tenants.read' | 'tenants.create' | 'tenants.lifecycle' | 'tenants.usage' | 'migrations.run' | 'queue.read' | 'audit.read';

const PLATFORM_ADMIN_ONLY: Record<Exclude<Action, 'tenants.read'>, string> = {
  'tenants.create': 'Only a platform admin creates tenants.',
  'tenants.lifecycle': 'Only a platform admin suspends, resumes, deletes or retries tenants.',
  'tenants.usage': 'Only a platform admin sees usage.',
  'migrations.run': 'Only a platform admin runs fleet migrations.',
  'queue.read': 'Only a platform admin sees the provisioning queue.',
  'audit.read': 'Only a platform admin reads the control-plane audit trail.',
};

/** Why `me` may not do `action` (shown beside what is disabled), or undefined when they may. */
export function denial(me: Me, action: Action): string | undefined {
  if (me.platformRole === 'platform_admin') return undefined;
  if (me.platformRole === 'super_admin') return action === 'tenants.read' ? undefined : PLATFORM_ADMIN_ONLY[action];
  return 'The control pages are for platform admins and super admins; tenant roles use the tenant API.';
}

export function may(me: Me, action: Action): boolean {
  return denial(me, action) === undefined;
}

/** The role named in the header: the platform role, else the role in the signed-in tenant. */
export function roleLabel(me: Me): string {
  if (me.platformRole) return me.platformRole.replace('_', ' ');
  if (me.tenant) return `${me.tenant.role.replace('_', ' ')} of ${me.tenant.name}`;
  return 'no role';
}
