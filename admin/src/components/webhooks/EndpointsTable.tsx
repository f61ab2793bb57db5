import { Group, Stack, Table } from '@mantine/core';
import { useState } from 'react';
import type { WebhookEndpoint, WebhooksApi } from '../../api/webhooks';
import { Link } from '../../router';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { ConfirmAction } from '../ConfirmAction';
import { GuardedButton, guardedBy, type SharedDenial } from '../GuardedButton';
import { TONES } from '../tones';
import { EditEndpointDialog } from './EditEndpointDialog';
import { EndpointStatus } from './EndpointStatus';

/** How long a rotated-out secret keeps signing alongside the new one, so receivers can switch without losing a delivery. */
const ROTATION_OVERLAP_HOURS = 24;

interface EndpointsTableProps {
  hooks: WebhooksApi;
  endpoints: WebhookEndpoint[];
  /** Why the signed-in role may not change them: every action is then disabled. */
  manageDenied?: SharedDenial;
  onChanged: () => void;
  onNewSecret: (secret: string) => void;
}

/** The endpoints, each a link to its delivery log, with what can be done to it. */
export function EndpointsTable({ hooks, endpoints, manageDenied, onChanged, onNewSecret }: EndpointsTableProps) {
  const guarded = guardedBy(manageDenied);
  const [error, setError] = useState<unknown>();
  const toggle = async (hook: WebhookEndpoint) => {
    setError(undefined);
    try {
      await hooks.update(hook.id, { enabled: !hook.enabled });
      onChanged();
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <Stack gap="xs">
      <ApiErrorAlert error={error} title="The endpoint was not changed" />
      <Table.ScrollContainer minWidth={720}>
        <Table aria-label="Endpoints">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>URL</Table.Th>
              <Table.Th>Events</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {endpoints.map((hook) => (
              <Table.Tr key={hook.id}>
                <Table.Td>
                  <Link to={`/webhooks?endpoint=${hook.id}`}>{hook.url}</Link>
                </Table.Td>
                <Table.Td>{hook.eventTypes.join(', ')}</Table.Td>
                <Table.Td>{hook.description}</Table.Td>
                <Table.Td>
                  <EndpointStatus hook={hook} />
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <EditEndpointDialog hooks={hooks} hook={hook} manageDenied={manageDenied} onSaved={onChanged} />
                    <GuardedButton
                      size="xs"
                      variant="default"
                      onClick={() => void toggle(hook)}
                      aria-label={`${hook.enabled ? 'Disable' : 'Enable'} ${hook.url}`}
                      {...guarded}
                    >
                      {hook.enabled ? 'Disable' : 'Enable'}
                    </GuardedButton>
                    <ConfirmAction
                      label="Rotate secret"
                      size="xs"
                      {...guarded}
                      consequence={`${hook.url} is signed with a new secret from now on, shown once; the current one keeps signing alongside it for ${ROTATION_OVERLAP_HOURS} hours, so the receiver can switch.`}
                      onConfirm={async () => {
                        onNewSecret((await hooks.rotateSecret(hook.id, ROTATION_OVERLAP_HOURS)).secret);
                        onChanged();
                      }}
                    />
                    <ConfirmAction
                      label="Delete"
                      size="xs"
                      color={TONES.danger}
                      {...guarded}
                      consequence={`${hook.url} gets no more events; its pending deliveries and its delivery log are deleted.`}
                      onConfirm={async () => {
                        await hooks.remove(hook.id);
                        onChanged();
                      }}
                    />
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
