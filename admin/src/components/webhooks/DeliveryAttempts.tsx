import { Code, Table, Text } from '@mantine/core';
import { useCallback } from 'react';
import type { WebhooksApi } from '../../api/webhooks';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { useLoaded } from '../useLoaded';

interface DeliveryAttemptsProps {
  hooks: WebhooksApi;
  endpointId: string;
  deliveryId: string;
}

/** Every attempt of one delivery, oldest first: when, the receiver's answer, how long it took, what it said or why it failed. */
export function DeliveryAttempts({ hooks, endpointId, deliveryId }: DeliveryAttemptsProps) {
  const { data, error } = useLoaded(useCallback(() => hooks.delivery(endpointId, deliveryId), [hooks, endpointId, deliveryId]));
  if (error) return <ApiErrorAlert error={error} title="The attempts could not be loaded" />;
  if (!data) return <Text size="sm">Loading…</Text>;
  if (data.attemptLog.length === 0) return <Text size="sm">Not attempted yet.</Text>;
  return (
    <Table aria-label="Attempts">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Attempt</Table.Th>
          <Table.Th>Started</Table.Th>
          <Table.Th>Answer</Table.Th>
          <Table.Th>Took</Table.Th>
          <Table.Th>Response or error</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {data.attemptLog.map((attempt) => (
          <Table.Tr key={attempt.attempt}>
            <Table.Td>{attempt.attempt}</Table.Td>
            <Table.Td>{new Date(attempt.startedAt).toLocaleString()}</Table.Td>
            <Table.Td>{attempt.statusCode ?? 'none'}</Table.Td>
            <Table.Td>{attempt.durationMs} ms</Table.Td>
            <Table.Td>
              {attempt.error && <Text size="sm">{attempt.error}</Text>}
              {attempt.responseExcerpt && (
                <Code block aria-label={`Response to attempt ${attempt.attempt}`}>
                  {attempt.responseExcerpt}
                </Code>
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
