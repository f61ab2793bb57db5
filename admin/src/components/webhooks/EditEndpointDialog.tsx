import { Button, Checkbox, Group, Modal, Stack } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { WebhookEndpoint, WebhooksApi } from '../../api/webhooks';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { GuardedButton, guardedBy, type SharedDenial } from '../GuardedButton';
import { problemsAt } from '../field-errors';
import { endpointChange } from './endpoint-change';
import { EndpointFields, endpointTextOf, placedAtEndpointFields } from './EndpointFields';

interface EditEndpointDialogProps {
  hooks: WebhooksApi;
  hook: WebhookEndpoint;
  /** Why the signed-in role may not edit it: the button is then disabled. */
  manageDenied?: SharedDenial;
  onSaved: () => void;
}

/** An "Edit" button opening the endpoint's URL, filters, description and enabled flag; the API's refusals show at their fields. */
export function EditEndpointDialog({ hooks, hook, manageDenied, onSaved }: EditEndpointDialogProps) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const close = () => {
    setOpen(false);
    setError(undefined);
  };
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const change = endpointChange(hook, { ...endpointTextOf(form), enabled: form.get('enabled') === 'on' });
    setBusy(true);
    setError(undefined);
    try {
      if (Object.keys(change).length > 0) await hooks.update(hook.id, change);
      close();
      onSaved();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <GuardedButton size="xs" variant="default" onClick={() => setOpen(true)} aria-label={`Edit ${hook.url}`} {...guardedBy(manageDenied)}>
        Edit
      </GuardedButton>
      {/* lockScroll off: its scroll lock writes a <style> tag, which the console's content security policy refuses. */}
      <Modal opened={open} onClose={close} title="Edit endpoint" size="auto" lockScroll={false}>
        <form onSubmit={(event) => void submit(event)} aria-label="Edit endpoint">
          <Stack gap="sm">
            <EndpointFields error={error} initial={hook} />
            <Checkbox
              name="enabled"
              label="Enabled"
              description="A disabled endpoint gets no new deliveries; enabling it again clears its failure record"
              defaultChecked={hook.enabled}
              error={problemsAt(error, 'enabled')}
            />
            <ApiErrorAlert
              error={error}
              title="The endpoint was not changed"
              placed={(field) => placedAtEndpointFields(field) || field === 'enabled'}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={busy}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
