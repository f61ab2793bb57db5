import type { components } from '../../../packages/client';
import type { Scope } from '../session/permissions';
import { api, call } from './client';

export type ApiKey = components['schemas']['ApiKeyDto'];
export type KeyPermission = components['schemas']['CreateTenantApiKeyDto']['permissions'][number];

/**
 * Every permission a tenant key may carry, as the API's enum lists them; typed so the list can
 * neither miss one nor name one the API does not know.
 */
const PERMISSIONS = {
  'tenant.read': 1,
  'tenant.manage': 1,
  'notes.read': 1,
  'notes.write': 1,
  'accounts.read': 1,
  'accounts.write': 1,
  'contacts.read': 1,
  'contacts.write': 1,
  'deals.read': 1,
  'deals.write': 1,
  'activities.read': 1,
  'activities.write': 1,
  'events.read': 1,
  'events.write': 1,
  'inventory.read': 1,
  'inventory.write': 1,
  'invoices.read': 1,
  'invoices.write': 1,
  'imports.run': 1,
  'users.read': 1,
  'users.manage': 1,
  'roles.manage': 1,
  'api_keys.manage': 1,
  'audit.read': 1,
  'data_source.manage': 1,
  'webhooks.read': 1,
  'webhooks.manage': 1,
  'data.export': 1,
  'privacy.manage': 1,
} satisfies Record<KeyPermission, 1>;
export const KEY_PERMISSIONS = Object.keys(PERMISSIONS) as KeyPermission[];

/** What a key may carry for its creator, who holds `held`: the API refuses a key granting a permission its creator lacks. */
export function grantableKeyPermissions(held: readonly { name: string }[]): KeyPermission[] {
  return KEY_PERMISSIONS.filter((permission) => held.some(({ name }) => name === permission));
}

export interface NewKey {
  name: string;
  expiresAt?: string;
  permissions: KeyPermission[];
}

/** The tenant's API keys (`/api/api-keys`, with permissions) or the platform's (`/control/api-keys`, acting as their creator). */
export function apiKeysOf(scope: Scope) {
  const tenant = scope === 'tenant';
  return {
    list: () => call(() => (tenant ? api.GET('/api/api-keys') : api.GET('/control/api-keys'))),
    create: ({ permissions, ...body }: NewKey) =>
      call(() => (tenant ? api.POST('/api/api-keys', { body: { ...body, permissions } }) : api.POST('/control/api-keys', { body }))),
    revoke: (id: string) =>
      call(() =>
        tenant
          ? api.DELETE('/api/api-keys/{id}', { params: { path: { id } } })
          : api.DELETE('/control/api-keys/{id}', { params: { path: { id } } }),
      ),
  };
}

/** A key's state at a glance: revoked, expired or active. */
export function keyStatus(key: ApiKey): string {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && new Date(key.expiresAt) <= new Date()) return 'expired';
  return 'active';
}
