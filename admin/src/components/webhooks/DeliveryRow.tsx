import { Button, Group, Table, Text } from '@mantine/core';
import type { WebhookDelivery, WebhooksApi } from '../../api/webhooks';
import { ConfirmAction } from '../ConfirmAction';
import { guardedBy, type SharedDenial } from '../GuardedButton';
import { StatusBadge } from '../StatusBadge';
import { DeliveryAttempts } from './DeliveryAttempts';

interface DeliveryRowProps {
  hooks: WebhooksApi;
  endpointId: string;
  item: WebhookDelivery;
  /** Why the signed-in role may not replay it: the button is then disabled. */
  manageDenied?: SharedDenial;
  opened: boolean;
  onOpen: () => void;
  onReplayed: () => Promise<void>;
}

/** One delivery of the log; opened, its attempts below it. */
export function DeliveryRow({ hooks, endpointId, item, manageDenied, opened, onOpen, onReplayed }: DeliveryRowProps) {
  return (
    <>
      <Table.Tr>
        <Table.Td>
          {item.eventType}
          {item.replayOf && <Text size="xs">replay</Text>}
        </Table.Td>
        <Table.Td>
          <StatusBadge status={item.status} />
          {item.nextAttemptAt && item.attempts > 0 && <Text size="xs">next try {new Date(item.nextAttemptAt).toLocaleTimeString()}</Text>}
        </Table.Td>
        <Table.Td>{item.attempts}</Table.Td>
        <Table.Td>{new Date(item.createdAt).toLocaleString()}</Table.Td>
        <Table.Td>{item.finishedAt ? new Date(item.finishedAt).toLocaleTimeString() : '…'}</Table.Td>
        <Table.Td>
          <Group gap="xs" wrap="nowrap">
            <Button size="xs" variant="default" onClick={onOpen} aria-expanded={opened}>
              Attempts
            </Button>
            <ConfirmAction
              label="Replay"
              size="xs"
              {...guardedBy(manageDenied)}
              consequence={`The ${item.eventType} event is delivered again as a new delivery, with the same webhook-id (receivers de-duplicate on it).`}
              onConfirm={async () => {
                await hooks.replay(endpointId, item.id);
                await onReplayed();
              }}
            />
          </Group>
        </Table.Td>
      </Table.Tr>
      {opened && (
        <Table.Tr>
          <Table.Td colSpan={6}>
            <DeliveryAttempts hooks={hooks} endpointId={endpointId} deliveryId={item.id} />
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}
