import { NativeSelect, Stack } from '@mantine/core';
import { type ChangeEvent, useState } from 'react';
import type { Me } from '../session/permissions';
import { useMe, useSession } from '../session/SessionContext';
import { ApiErrorAlert } from './ApiErrorAlert';

/**
 * Whether `me` has tenants to choose between: someone without a platform role who belongs to several, or is
 * signed in to none of theirs. A platform role's pages are the same in every tenant, so it gets no switcher.
 */
export function canSwitchTenant(me: Me): boolean {
  return !me.platformRole && (me.memberships.length > 1 || (me.memberships.length > 0 && !me.tenant));
}

/** The tenants of the signed-in person, the current one chosen: choosing another signs into it (POST /auth/switch-tenant). */
export function TenantSwitcher() {
  const me = useMe();
  const { switchTenant } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const choose = async (event: ChangeEvent<HTMLSelectElement>) => {
    setBusy(true);
    setError(undefined);
    try {
      await switchTenant(event.currentTarget.value);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const options = me.memberships.map((membership) => ({
    value: membership.id,
    label: `${membership.name} (${membership.role.replace('_', ' ')}${membership.status === 'active' ? '' : `, ${membership.status}`})`,
  }));
  return (
    <Stack gap={4}>
      <NativeSelect
        label="Tenant"
        size="xs"
        value={me.tenant?.id ?? ''}
        data={me.tenant ? options : [{ value: '', label: 'Choose a tenant', disabled: true }, ...options]}
        disabled={busy}
        onChange={(event) => void choose(event)}
        w={240}
      />
      <ApiErrorAlert error={error} title="That tenant could not be signed into" />
    </Stack>
  );
}
