import { Button, Checkbox, Group, NativeSelect, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { type ConnectionSettings, configureDataSource, type DataSource } from '../../api/data-source';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { problemsAt } from '../field-errors';
import { rawTextField, textField } from '../form-fields';

const KINDS = [
  { value: 'mysql', label: 'MySQL or MariaDB' },
  { value: 'postgres', label: 'PostgreSQL' },
  { value: 'rest', label: 'REST API' },
];
const DEFAULT_PORTS: Record<string, string> = { mysql: '3306', postgres: '5432' };
/** The request fields this form has an input for: their problems show at the input. */
const PLACED = new Set([
  'kind',
  'readOnly',
  ...['host', 'port', 'database', 'user', 'password', 'schema', 'baseUrl', 'apiKey', 'healthPath'].map((name) => `connection.${name}`),
]);

/**
 * Where the tenant's data lives and how to reach it. Secrets (password, API key) are never answered
 * back, so saving asks for them again; the API stores them encrypted.
 */
export function ConnectionForm({ source, onSaved }: { source: DataSource | undefined; onSaved: (source: DataSource) => void }) {
  const [kind, setKind] = useState<string>(source?.kind ?? 'mysql');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const saved = source?.kind === kind ? source.connection : {};

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => textField(form, name);
    const connection =
      kind === 'rest'
        ? {
            baseUrl: value('baseUrl'),
            ...(value('apiKey') ? { apiKey: value('apiKey') } : {}),
            ...(value('healthPath') ? { healthPath: value('healthPath') } : {}),
          }
        : {
            host: value('host'),
            port: Number(value('port')),
            database: value('database'),
            user: value('user'),
            password: rawTextField(form, 'password'),
            ...(kind === 'postgres' && value('schema') ? { schema: value('schema') } : {}),
            ...(form.get('tls') === 'on' ? { tls: { enabled: true, rejectUnauthorized: form.get('rejectUnauthorized') === 'on' } } : {}),
          };
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await configureDataSource({ kind, readOnly: form.get('readOnly') === 'on', connection } as ConnectionSettings));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const at = (name: string) => problemsAt(error, `connection.${name}`);
  return (
    <form onSubmit={(event) => void submit(event)} aria-label="Connection">
      <Stack gap="sm" maw={560}>
        <NativeSelect
          name="kind"
          label="Kind"
          data={KINDS}
          value={kind}
          onChange={(event) => setKind(event.currentTarget.value)}
          error={problemsAt(error, 'kind')}
        />
        {kind === 'rest' ? (
          <>
            <TextInput name="baseUrl" label="Base URL" defaultValue={saved.baseUrl} required error={at('baseUrl')} />
            <PasswordInput
              name="apiKey"
              label="API key"
              description={
                saved.apiKeySet ? 'One is stored; enter it again to keep it (it is never shown)' : 'Sent as Authorization: Bearer …'
              }
              error={at('apiKey')}
            />
            <TextInput
              name="healthPath"
              label="Health path"
              description="A cheap GET below the base URL, e.g. /health"
              defaultValue={saved.healthPath}
              error={at('healthPath')}
            />
          </>
        ) : (
          <>
            <Group grow align="flex-start">
              <TextInput name="host" label="Host" defaultValue={saved.host} required error={at('host')} />
              <TextInput
                name="port"
                label="Port"
                defaultValue={String(saved.port ?? DEFAULT_PORTS[kind])}
                required
                inputMode="numeric"
                error={at('port')}
              />
            </Group>
            <TextInput name="database" label="Database" defaultValue={saved.database} required error={at('database')} />
            <TextInput name="user" label="User" defaultValue={saved.user} required error={at('user')} />
            <PasswordInput
              name="password"
              label="Password"
              description={
                saved.passwordSet
                  ? 'One is stored; enter it again when you save (it is never shown)'
                  : 'Stored encrypted, never shown again'
              }
              error={at('password')}
            />
            {kind === 'postgres' && (
              <TextInput name="schema" label="Schema" description="Default: public" defaultValue={saved.schema} error={at('schema')} />
            )}
            <Checkbox name="tls" label="Connect with TLS" defaultChecked={saved.tls?.enabled} />
            <Checkbox
              name="rejectUnauthorized"
              label="Verify the server's certificate"
              defaultChecked={saved.tls?.rejectUnauthorized ?? true}
            />
          </>
        )}
        <Checkbox
          name="readOnly"
          label="Read only: Tenantry never writes to this source"
          defaultChecked={source?.readOnly ?? false}
          error={problemsAt(error, 'readOnly')}
        />
        <ApiErrorAlert error={error} title="The connection was not saved" placed={(field) => PLACED.has(field)} />
        {source && (
          <Text size="sm" fw={source.status === 'active' ? 500 : undefined}>
            {source.status === 'active'
              ? 'This source is active: saving new settings takes it back to “configured”, and its records are not served until it is tested and activated again.'
              : 'Saving new settings takes the source back to “configured”: test it again before activating.'}
          </Text>
        )}
        <Group>
          <Button type="submit" loading={busy}>
            Save connection
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
