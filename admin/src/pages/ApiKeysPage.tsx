import { Button, Checkbox, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useMemo, useState } from 'react';
import { type ApiKey, apiKeysOf, grantableKeyPermissions, type KeyPermission, keyStatus } from '../api/api-keys';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ConfirmAction } from '../components/ConfirmAction';
import { problemsAt } from '../components/field-errors';
import { textField } from '../components/form-fields';
import { ShownOnce } from '../components/ShownOnce';
import { StatusBadge } from '../components/StatusBadge';
import { TONES } from '../components/tones';
import { useLoaded } from '../components/useLoaded';
import { scopeOf } from '../session/permissions';
import { useMe } from '../session/SessionContext';
import classes from './ApiKeysPage.module.css';

type Keys = ReturnType<typeof apiKeysOf>;

/**
 * API keys: a tenant admin's act in the tenant with the permissions chosen among those their role holds
 * (`/api/api-keys`); a platform admin's act on /control as their creator (`/control/api-keys`). The key is shown once.
 */
export function ApiKeysPage() {
  const me = useMe();
  const scope = scopeOf(me);
  const keys = useMemo(() => apiKeysOf(scope), [scope]);
  const list = useLoaded(keys.list);
  const [shown, setShown] = useState<string>();
  return (
    <Stack>
      <Title order={1} size="h2">
        API keys {scope === 'tenant' ? `of ${me.tenant!.name}` : 'of the platform'}
      </Title>
      <Text>
        {scope === 'tenant'
          ? 'A key acts in this tenant with exactly the permissions chosen, as long as you still hold them. Send it as Authorization: Bearer <key>.'
          : 'A platform key acts on the /control routes as a platform admin while its creator is one. Send it as Authorization: Bearer <key>.'}
      </Text>
      <NewKeyForm
        keys={keys}
        grantable={scope === 'tenant' ? { permissions: grantableKeyPermissions(me.tenant!.permissions), role: me.tenant!.role } : undefined}
        onCreated={(key) => {
          setShown(key);
          list.reload();
        }}
      />
      {shown && <ShownOnce title="The new API key" secret={shown} onDismiss={() => setShown(undefined)} />}
      <ApiErrorAlert error={list.error} title="The keys could not be listed" />
      {list.data && list.data.length === 0 && <Text>No key yet.</Text>}
      {list.data && list.data.length > 0 && <KeysTable keys={keys} list={list.data} onRevoked={list.reload} />}
    </Stack>
  );
}

interface NewKeyFormProps {
  keys: Keys;
  /** A tenant key's: the permissions offered (those the creator's role holds) and that role; a platform key has none. */
  grantable?: { permissions: KeyPermission[]; role: string };
  onCreated: (key: string) => void;
}

function NewKeyForm({ keys, grantable, onCreated }: NewKeyFormProps) {
  const [permissions, setPermissions] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const expires = textField(form, 'expiresAt');
    setBusy(true);
    setError(undefined);
    try {
      const created = await keys.create({
        name: textField(form, 'name'),
        // A date alone: the key stops working at the end of that day (UTC).
        ...(expires ? { expiresAt: `${expires}T23:59:59Z` } : {}),
        permissions: permissions as KeyPermission[],
      });
      formElement.reset();
      setPermissions([]);
      onCreated(created.key);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const placed = (field: string) => ['name', 'expiresAt', 'permissions'].includes(field.split('.')[0]);
  return (
    <form onSubmit={(event) => void submit(event)} aria-label="New API key">
      <Stack gap="sm">
        <Group align="flex-start" gap="sm">
          <TextInput name="name" label="Name" description="What the key is for" required w={260} error={problemsAt(error, 'name')} />
          <TextInput
            name="expiresAt"
            type="date"
            label="Expires"
            description="Empty: never"
            w={180}
            error={problemsAt(error, 'expiresAt')}
          />
        </Group>
        {grantable && (
          <Checkbox.Group
            label="Permissions"
            description={`Those your role ${grantable.role} holds: a key cannot carry others`}
            value={permissions}
            onChange={setPermissions}
            error={problemsAt(error, 'permissions')}
          >
            <div className={classes.permissions}>
              {grantable.permissions.map((permission) => (
                <Checkbox key={permission} value={permission} label={permission} />
              ))}
            </div>
          </Checkbox.Group>
        )}
        <ApiErrorAlert error={error} title="No key was created" placed={placed} />
        <Group>
          <Button type="submit" loading={busy}>
            Create key
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function KeysTable({ keys, list, onRevoked }: { keys: Keys; list: ApiKey[]; onRevoked: () => void }) {
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table aria-label="API keys">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Key</Table.Th>
            <Table.Th>Permissions</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Last used</Table.Th>
            <Table.Th>Expires</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {list.map((key) => (
            <Table.Tr key={key.id}>
              <Table.Td>{key.name}</Table.Td>
              <Table.Td>
                {key.prefix}…{key.lastChars}
              </Table.Td>
              <Table.Td>{key.permissions.join(', ') || '—'}</Table.Td>
              <Table.Td>
                <StatusBadge status={keyStatus(key)} />
              </Table.Td>
              <Table.Td>{key.lastUsedAt ? new Date(key.lastUsedAt).toLocaleString() : 'never'}</Table.Td>
              <Table.Td>{key.expiresAt ? new Date(key.expiresAt).toLocaleDateString() : 'never'}</Table.Td>
              <Table.Td>
                {keyStatus(key) === 'active' && (
                  <ConfirmAction
                    label="Revoke"
                    size="xs"
                    color={TONES.danger}
                    consequence={`${key.name} (${key.prefix}…) is refused from now on, by every service that uses it. This cannot be undone.`}
                    onConfirm={async () => {
                      await keys.revoke(key.id);
                      onRevoked();
                    }}
                  />
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
