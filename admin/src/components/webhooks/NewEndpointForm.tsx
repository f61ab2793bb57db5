import { Button, Group, Stack } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { WebhooksApi } from '../../api/webhooks';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { EndpointFields, endpointTextOf, placedAtEndpointFields } from './EndpointFields';

/** Creates an endpoint, enabled; hands its signing secret (answered this once) to `onCreated`. */
export function NewEndpointForm({ hooks, onCreated }: { hooks: WebhooksApi; onCreated: (secret: string) => void }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    setBusy(true);
    setError(undefined);
    try {
      const created = await hooks.create({ ...endpointTextOf(new FormData(formElement)), enabled: true });
      formElement.reset();
      onCreated(created.secret);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={(event) => void submit(event)} aria-label="New endpoint">
      <Stack gap="sm">
        <EndpointFields error={error} />
        <ApiErrorAlert error={error} title="The endpoint was not created" placed={placedAtEndpointFields} />
        <Group>
          <Button type="submit" loading={busy}>
            Create endpoint
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
