import { Anchor, Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useCallback, useMemo, useState } from 'react';
import { type WebhookDelivery, type WebhookEndpoint, webhooksOf } from '../api/webhooks';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ConfirmAction } from '../components/ConfirmAction';
import { problemsAt } from '../components/field-errors';
import { textField } from '../components/form-fields';
import { ShownOnce } from '../components/ShownOnce';
import { StatusBadge } from '../components/StatusBadge';
import { TONES } from '../components/tones';
import { useLoaded } from '../components/useLoaded';
import { usePolling } from '../components/usePolling';
import { Link, useSearch } from '../router';
import { scopeOf } from '../session/permissions';
import { useMe } from '../session/SessionContext';

type Webhooks = ReturnType<typeof webhooksOf>;

/**
 * Webhook endpoints: a tenant admin's get the tenant's events (`/api/webhooks`), a platform admin's
 * the platform's (`/control/webhooks`). Create one (its signing secret shown once, as after a
 * rotation), turn it off and on, send a test event, read its delivery log and replay a delivery.
 */
export function WebhooksPage() {
  const me = useMe();
  const scope = scopeOf(me);
  const hooks = useMemo(() => webhooksOf(scope), [scope]);
  const endpoints = useLoaded(hooks.list);
  const selected = useSearch().get('endpoint');
  const [secret, setSecret] = useState<string>();
  const shown = endpoints.data?.find((hook) => hook.id === selected);

  return (
    <Stack>
      <Title order={1} size="h2">
        Webhooks {scope === 'tenant' ? `of ${me.tenant!.name}` : 'of the platform'}
      </Title>
      <Text>
        {scope === 'tenant'
          ? 'Each endpoint is sent the events of this tenant its filters match, signed (Standard Webhooks) with its own secret.'
          : 'Each endpoint is sent the platform’s events (tenant.*, user.*) and the tenants’ events its filters name, signed with its own secret.'}
      </Text>
      <NewEndpointForm
        hooks={hooks}
        onCreated={(created) => {
          setSecret(created);
          endpoints.reload();
        }}
      />
      {secret && <ShownOnce title="The endpoint's signing secret" secret={secret} onDismiss={() => setSecret(undefined)} />}
      <ApiErrorAlert error={endpoints.error} title="The endpoints could not be listed" />
      {endpoints.data && endpoints.data.length === 0 && <Text>No endpoint yet.</Text>}
      {endpoints.data && endpoints.data.length > 0 && (
        <EndpointsTable hooks={hooks} endpoints={endpoints.data} onChanged={endpoints.reload} onNewSecret={setSecret} />
      )}
      {shown && <Deliveries key={shown.id} hooks={hooks} endpoint={shown} />}
    </Stack>
  );
}

function NewEndpointForm({ hooks, onCreated }: { hooks: Webhooks; onCreated: (secret: string) => void }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setError(undefined);
    try {
      const created = await hooks.create({
        url: textField(form, 'url'),
        eventTypes: textField(form, 'eventTypes')
          .split(',')
          .map((type) => type.trim())
          .filter(Boolean),
        description: textField(form, 'description'),
        enabled: true,
      });
      formElement.reset();
      onCreated(created.secret);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const placed = (field: string) => ['url', 'eventTypes', 'description'].includes(field.split('.')[0]);
  return (
    <form onSubmit={(event) => void submit(event)} aria-label="New endpoint">
      <Stack gap="sm">
        <Group align="flex-start" gap="sm">
          <TextInput name="url" label="URL" description="Where events are POSTed" required w={320} error={problemsAt(error, 'url')} />
          <TextInput
            name="eventTypes"
            label="Events"
            description="Comma-separated: *, contact.* or contact.created"
            required
            w={280}
            error={problemsAt(error, 'eventTypes')}
          />
          <TextInput name="description" label="Description" w={220} error={problemsAt(error, 'description')} />
        </Group>
        <ApiErrorAlert error={error} title="The endpoint was not created" placed={placed} />
        <Group>
          <Button type="submit" loading={busy}>
            Create endpoint
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** How long a rotated-out secret keeps signing alongside the new one, so receivers can switch without losing a delivery. */
const ROTATION_OVERLAP_HOURS = 24;

interface EndpointsTableProps {
  hooks: Webhooks;
  endpoints: WebhookEndpoint[];
  onChanged: () => void;
  onNewSecret: (secret: string) => void;
}

function EndpointsTable({ hooks, endpoints, onChanged, onNewSecret }: EndpointsTableProps) {
  const [error, setError] = useState<unknown>();
  const toggle = async (hook: WebhookEndpoint) => {
    setError(undefined);
    try {
      await hooks.setEnabled(hook, !hook.enabled);
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
                  <StatusBadge status={!hook.enabled ? 'disabled' : hook.failingSince ? 'failing' : 'enabled'} />
                  {hook.disabledReason && <Text size="xs">{hook.disabledReason}</Text>}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs">
                    <Button
                      size="xs"
                      variant="default"
                      onClick={() => void toggle(hook)}
                      aria-label={`${hook.enabled ? 'Disable' : 'Enable'} ${hook.url}`}
                    >
                      {hook.enabled ? 'Disable' : 'Enable'}
                    </Button>
                    <ConfirmAction
                      label="Rotate secret"
                      size="xs"
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

const hasPending = (page: { items: WebhookDelivery[] }) => page.items.some((item) => item.status === 'pending');

/** The endpoint's delivery log, newest first, followed while a delivery is pending; test-send and replay from here. */
function Deliveries({ hooks, endpoint }: { hooks: Webhooks; endpoint: WebhookEndpoint }) {
  const load = useCallback(() => hooks.deliveries(endpoint.id), [hooks, endpoint.id]);
  const { data, error, reload } = usePolling(load, hasPending);
  const [actionError, setActionError] = useState<unknown>();
  const [opened, setOpened] = useState<string>();

  const sendTest = async () => {
    setActionError(undefined);
    try {
      await hooks.sendTest(endpoint.id);
      await reload();
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
        <Button onClick={() => void sendTest()}>Send a test event</Button>
        <Button variant="default" onClick={() => void reload()}>
          Refresh
        </Button>
        <Anchor component={Link} to="/webhooks" size="sm">
          Close
        </Anchor>
      </Group>
      <ApiErrorAlert error={actionError} title="Nothing was sent" />
      <ApiErrorAlert error={error} title="The deliveries could not be listed" />
      {data && data.items.length === 0 && <Text>No delivery yet: send a test event.</Text>}
      {data && data.items.length > 0 && (
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
              {data.items.map((item) => (
                <DeliveryRow
                  key={item.id}
                  hooks={hooks}
                  endpointId={endpoint.id}
                  item={item}
                  opened={opened === item.id}
                  onOpen={() => setOpened(opened === item.id ? undefined : item.id)}
                  onReplayed={reload}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

interface DeliveryRowProps {
  hooks: Webhooks;
  endpointId: string;
  item: WebhookDelivery;
  opened: boolean;
  onOpen: () => void;
  onReplayed: () => Promise<void>;
}

function DeliveryRow({ hooks, endpointId, item, opened, onOpen, onReplayed }: DeliveryRowProps) {
  return (
    <>
      <Table.Tr>
        <Table.Td>
          {item.eventType}
          {item.replayOf && <Text size="xs">replay</Text>}
        </Table.Td>
        <Table.Td>
          <StatusBadge status={item.status} />
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
            <Attempts hooks={hooks} endpointId={endpointId} deliveryId={item.id} />
          </Table.Td>
        </Table.Tr>
      )}
    </>
  );
}

function Attempts({ hooks, endpointId, deliveryId }: { hooks: Webhooks; endpointId: string; deliveryId: string }) {
  const { data, error } = useLoaded(useCallback(() => hooks.delivery(endpointId, deliveryId), [hooks, endpointId, deliveryId]));
  if (error) return <ApiErrorAlert error={error} title="The attempts could not be loaded" />;
  if (!data) return <Text size="sm">Loading…</Text>;
  if (data.attemptLog.length === 0) return <Text size="sm">Not attempted yet.</Text>;
  return (
    <Table aria-label="Attempts">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Attempt</Table.Th>
          <Table.Th>Answer</Table.Th>
          <Table.Th>Took</Table.Th>
          <Table.Th>Detail</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {data.attemptLog.map((attempt) => (
          <Table.Tr key={attempt.attempt}>
            <Table.Td>{attempt.attempt}</Table.Td>
            <Table.Td>{attempt.statusCode ?? 'none'}</Table.Td>
            <Table.Td>{attempt.durationMs} ms</Table.Td>
            <Table.Td>{attempt.error ?? attempt.responseExcerpt}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
