import { Group, Stack, Text, TextInput } from '@mantine/core';
import { useState } from 'react';
import type { WebhookEndpoint, WebhooksApi } from '../../api/webhooks';
import { ConfirmAction } from '../ConfirmAction';
import { guardedBy, type SharedDenial } from '../GuardedButton';

/** A moment as a datetime-local input shows it: local time, to the second. */
function localInputValue(moment: Date): string {
  return new Date(moment.getTime() - moment.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

/** A datetime-local value (local time) as a moment; refused before asking the API when it is not one. */
function momentOf(value: string, label: string): Date {
  const moment = new Date(value);
  if (Number.isNaN(moment.getTime())) throw new Error(`${label} is not a date and time`);
  return moment;
}

const HOUR_MS = 3_600_000;

interface ReplayRangeProps {
  hooks: WebhooksApi;
  endpoint: WebhookEndpoint;
  /** Why the signed-in role may not replay: the range is then disabled. */
  manageDenied?: SharedDenial;
  onReplayed: () => Promise<void>;
}

/** Delivers again every event of a time range the endpoint's filters match (after a receiver's outage); says how many were queued. */
export function ReplayRange({ hooks, endpoint, manageDenied, onReplayed }: ReplayRangeProps) {
  const [from, setFrom] = useState(() => localInputValue(new Date(Date.now() - HOUR_MS)));
  // Empty: until the moment of the replay (a default filled in when the page opened would go stale).
  const [to, setTo] = useState('');
  const [queued, setQueued] = useState<number>();
  const replay = async () => {
    setQueued(undefined);
    const until = to ? momentOf(to, 'To') : new Date();
    const { replayed } = await hooks.replayRange(endpoint.id, momentOf(from, 'From'), until);
    setQueued(replayed);
    await onReplayed();
  };
  return (
    <Stack gap="xs">
      <Group align="flex-end" gap="sm">
        <TextInput
          type="datetime-local"
          step={1}
          label="From"
          description="Events recorded at or after"
          value={from}
          disabled={manageDenied !== undefined}
          onChange={(event) => setFrom(event.currentTarget.value)}
        />
        <TextInput
          type="datetime-local"
          step={1}
          label="To"
          description="Events recorded before; empty: now"
          value={to}
          disabled={manageDenied !== undefined}
          onChange={(event) => setTo(event.currentTarget.value)}
        />
        <ConfirmAction
          label="Replay the range"
          {...guardedBy(manageDenied)}
          consequence={
            `Every event recorded from ${from.replace('T', ' ')} to ${to ? to.replace('T', ' ') : 'now'} (your local time) that ${endpoint.url}'s ` +
            `filters (${endpoint.eventTypes.join(', ')}) match now is delivered again, each as a new delivery with its original ` +
            'webhook-id (receivers de-duplicate on it).'
          }
          onConfirm={replay}
        />
      </Group>
      {queued !== undefined && (
        <Text role="status" size="sm">
          {queued === 1 ? '1 delivery queued.' : `${queued} deliveries queued.`}
        </Text>
      )}
    </Stack>
  );
}
