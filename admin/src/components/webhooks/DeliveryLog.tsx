import { Anchor, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { WebhookEndpoint, WebhooksApi } from '../../api/webhooks';
import { Link } from '../../router';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { GuardedButton, guardedBy, type SharedDenial } from '../GuardedButton';
import { PageButtons } from '../PageButtons';
import { DeliveryRow } from './DeliveryRow';
import { ReplayRange } from './ReplayRange';
import { useDeliveryLog } from './useDeliveryLog';

interface DeliveryLogProps {
  hooks: WebhooksApi;
  endpoint: WebhookEndpoint;
  /** Why the signed-in role may not test-send or replay: those are then disabled, the log still shown. */
  manageDenied?: SharedDenial;
}

/** The endpoint's delivery log, newest first, in pages, followed while a delivery is pending; test-send and replays from here. */
export function DeliveryLog({ hooks, endpoint, manageDenied }: DeliveryLogProps) {
  const paging = useDeliveryLog(hooks, endpoint.id);
  const [actionError, setActionError] = useState<unknown>();
  const [opened, setOpened] = useState<string>();
  const items = paging.page?.items;

  const sendTest = async () => {
    setActionError(undefined);
    try {
      await hooks.sendTest(endpoint.id);
      await paging.reload();
    } catch (failure) {
      setActionError(failure);
    }
  };

  return (
    <Stack component="section" aria-label="Delivery log" gap="xs">
      <Title order={2} size="h3">
        Deliveries to {endpoint.url}
      </Title>
      <Group>
        <GuardedButton onClick={() => void sendTest()} {...guardedBy(manageDenied)}>
          Send a test event
        </GuardedButton>
        <Button variant="default" onClick={() => void paging.reload()}>
          Refresh
        </Button>
        <Anchor component={Link} to="/webhooks" size="sm">
          Close
        </Anchor>
      </Group>
      <ApiErrorAlert error={actionError} title="Nothing was sent" />
      <ReplayRange hooks={hooks} endpoint={endpoint} manageDenied={manageDenied} onReplayed={paging.reload} />
      <ApiErrorAlert error={paging.error} title="The deliveries could not be listed" />
      {items && items.length === 0 && !paging.hasPrevious && (
        <Text>{manageDenied ? 'No delivery yet.' : 'No delivery yet: send a test event.'}</Text>
      )}
      {items && items.length > 0 && (
        <Table.ScrollContainer minWidth={720}>
          <Table aria-label="Deliveries">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Event</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Finished</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((item) => (
                <DeliveryRow
                  key={item.id}
                  hooks={hooks}
                  endpointId={endpoint.id}
                  item={item}
                  manageDenied={manageDenied}
                  opened={opened === item.id}
                  onOpen={() => setOpened(opened === item.id ? undefined : item.id)}
                  onReplayed={paging.reload}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <PageButtons paging={paging} />
    </Stack>
  );
}
