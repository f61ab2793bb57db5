import { Stack, Text, Title } from '@mantine/core';
import { useId, useMemo, useState } from 'react';
import { webhooksOf } from '../api/webhooks';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import type { SharedDenial } from '../components/GuardedButton';
import { ShownOnce } from '../components/ShownOnce';
import { useLoaded } from '../components/useLoaded';
import { DeliveryLog } from '../components/webhooks/DeliveryLog';
import { EndpointsTable } from '../components/webhooks/EndpointsTable';
import { NewEndpointForm } from '../components/webhooks/NewEndpointForm';
import { useSearch } from '../router';
import { denial, scopeOf } from '../session/permissions';
import { useMe } from '../session/SessionContext';

/**
 * Webhook endpoints: a tenant admin's get the tenant's events (`/api/webhooks`), a platform admin's
 * the platform's (`/control/webhooks`). Create one (its signing secret shown once, as after a
 * rotation), edit it, turn it off and on, send a test event, read its delivery log and replay a
 * delivery or a time range. A role that may only read them (webhooks.read) sees all of it, each change disabled
 * and pointing at the one sentence saying why.
 */
export function WebhooksPage() {
  const me = useMe();
  const scope = scopeOf(me);
  const hooks = useMemo(() => webhooksOf(scope), [scope]);
  const endpoints = useLoaded(hooks.list);
  const selected = useSearch().get('endpoint');
  const [secret, setSecret] = useState<string>();
  const shown = endpoints.data?.find((hook) => hook.id === selected);
  const reasonId = useId();
  const manageDeniedReason = denial(me, 'webhooks.manage');
  const manageDenied: SharedDenial | undefined = manageDeniedReason ? { reason: manageDeniedReason, shownAt: reasonId } : undefined;

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
      {manageDenied && (
        <Text id={reasonId} role="note" fw={500}>
          {manageDenied.reason} You see the endpoints and their deliveries; creating, changing, testing and replaying them are disabled.
        </Text>
      )}
      <NewEndpointForm
        hooks={hooks}
        manageDenied={manageDenied}
        onCreated={(created) => {
          setSecret(created);
          endpoints.reload();
        }}
      />
      {secret && <ShownOnce title="The endpoint's signing secret" secret={secret} onDismiss={() => setSecret(undefined)} />}
      <ApiErrorAlert error={endpoints.error} title="The endpoints could not be listed" />
      {endpoints.data && endpoints.data.length === 0 && <Text>No endpoint yet.</Text>}
      {endpoints.data && endpoints.data.length > 0 && (
        <EndpointsTable
          hooks={hooks}
          endpoints={endpoints.data}
          manageDenied={manageDenied}
          onChanged={endpoints.reload}
          onNewSecret={setSecret}
        />
      )}
      {shown && <DeliveryLog key={shown.id} hooks={hooks} endpoint={shown} manageDenied={manageDenied} />}
    </Stack>
  );
}
