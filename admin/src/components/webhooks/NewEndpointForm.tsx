import { Fieldset, Group, Stack } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { WebhooksApi } from '../../api/webhooks';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { GuardedButton, guardedBy, type SharedDenial } from '../GuardedButton';
import { EndpointFields, endpointTextOf, placedAtEndpointFields } from './EndpointFields';

interface NewEndpointFormProps {
  hooks: WebhooksApi;
  /** Why the signed-in role may not create one: the form is then disabled. */
  manageDenied?: SharedDenial;
  onCreated: (secret: string) => void;
}

/** Creates an endpoint, enabled; hands its signing secret (answered this once) to `onCreated`. */
export function NewEndpointForm({ hooks, manageDenied, onCreated }: NewEndpointFormProps) {
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
      <Fieldset variant="unstyled" disabled={manageDenied !== undefined}>
        <Stack gap="sm">
          <EndpointFields error={error} />
          <ApiErrorAlert error={error} title="The endpoint was not created" placed={placedAtEndpointFields} />
          <Group>
            <GuardedButton type="submit" loading={busy} {...guardedBy(manageDenied)}>
              Create endpoint
            </GuardedButton>
          </Group>
        </Stack>
      </Fieldset>
    </form>
  );
}
