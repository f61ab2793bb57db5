import { Stack, Text } from '@mantine/core';
import type { WebhookEndpoint } from '../../api/webhooks';
import { StatusBadge } from '../StatusBadge';

const when = (moment: string) => new Date(moment).toLocaleString();

/**
 * Enabled, failing (since when) or disabled: by whom, why and since when. An endpoint the platform
 * disabled after failing for days says so, so its owner knows to fix the receiver and enable it again.
 */
export function EndpointStatus({ hook }: { hook: WebhookEndpoint }) {
  if (hook.enabled) {
    return (
      <Stack gap={2} align="flex-start">
        <StatusBadge status={hook.failingSince ? 'failing' : 'enabled'} />
        {hook.failingSince && <Text size="xs">Every delivery failing since {when(hook.failingSince)}</Text>}
      </Stack>
    );
  }
  return (
    <Stack gap={2} align="flex-start">
      <StatusBadge status="disabled" />
      {hook.disabledReason && <Text size="xs">{hook.disabledReason}</Text>}
      {hook.disabledAt && <Text size="xs">Disabled since {when(hook.disabledAt)}</Text>}
      {hook.failingSince && <Text size="xs">Failing since {when(hook.failingSince)}</Text>}
    </Stack>
  );
}
