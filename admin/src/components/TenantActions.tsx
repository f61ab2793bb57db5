import { Group } from '@mantine/core';
import { type TenantDetail, tenantLifecycle } from '../api/tenants';
import { denial } from '../session/permissions';
import { useMe } from '../session/SessionContext';
import { ConfirmAction } from './ConfirmAction';
import { TONES } from './tones';

/** The lifecycle moves the tenant's status allows, each confirmed with what it does. */
export function TenantActions({ tenant, onChanged }: { tenant: TenantDetail; onChanged: () => Promise<void> }) {
  const deniedReason = denial(useMe(), 'tenants.lifecycle');
  const run = (move: (id: string) => Promise<unknown>) => async () => {
    await move(tenant.id);
    await onChanged();
  };
  const purgeable = tenant.purgeAfter !== null && new Date(tenant.purgeAfter) <= new Date();
  return (
    <Group>
      {tenant.status === 'active' && (
        <ConfirmAction
          label="Suspend"
          color={TONES.warning}
          deniedReason={deniedReason}
          consequence={`Every user and API key of ${tenant.slug} is refused at once, and signed-in sessions end. Its data is kept; resuming lets them back in.`}
          onConfirm={run(tenantLifecycle.suspend)}
        />
      )}
      {tenant.status === 'suspended' && (
        <ConfirmAction
          label="Resume"
          deniedReason={deniedReason}
          consequence={`Users and API keys of ${tenant.slug} may sign in and call the API again.`}
          onConfirm={run(tenantLifecycle.resume)}
        />
      )}
      {tenant.status === 'failed' && (
        <ConfirmAction
          label="Retry provisioning"
          deniedReason={deniedReason}
          consequence="Provisioning runs again as a new attempt; steps already done are skipped."
          onConfirm={run(tenantLifecycle.retry)}
        />
      )}
      {['active', 'suspended', 'failed'].includes(tenant.status) && (
        <ConfirmAction
          label="Delete"
          color={TONES.danger}
          deniedReason={deniedReason}
          consequence={`${tenant.slug} is deleted: its users are refused at once. Its data is kept for the retention period, during which it can be restored; after that it can be purged.`}
          onConfirm={run(tenantLifecycle.remove)}
        />
      )}
      {tenant.status === 'deleted' && (
        <ConfirmAction
          label="Restore"
          deniedReason={deniedReason}
          consequence={`${tenant.slug} comes back suspended, with its data; resume it to let its users in.`}
          onConfirm={run(tenantLifecycle.restore)}
        />
      )}
      {tenant.status === 'deleted' && (
        <ConfirmAction
          label="Purge"
          color={TONES.danger}
          deniedReason={
            deniedReason ?? (purgeable ? undefined : `Purging is possible from ${new Date(tenant.purgeAfter!).toLocaleString()}.`)
          }
          consequence={`The data of ${tenant.slug} (its database and role, or its rows in the pool) is destroyed for good. This cannot be undone.`}
          onConfirm={run(tenantLifecycle.purge)}
        />
      )}
    </Group>
  );
}
