import { Alert, Anchor, Button, Group, Loader, Stack, Stepper, Table, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState } from 'react';
import { activateDataSource, type DataSource, firstContacts, getDataSource, tenantProfile, testDataSource } from '../api/data-source';
import { ApiError } from '../api/errors';
import { ENTITY_LABELS, MAPPABLE_ENTITIES } from '../api/mappable-fields';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ConfirmAction } from '../components/ConfirmAction';
import { ConnectionForm } from '../components/byod/ConnectionForm';
import { IntrospectionBrowser } from '../components/byod/IntrospectionBrowser';
import { MappingsEditor } from '../components/byod/MappingsEditor';
import { StatusBadge } from '../components/StatusBadge';
import { useLoaded } from '../components/useLoaded';
import { Link } from '../router';

const STEPS = ['Connection', 'Test', 'Mappings', 'Activate'] as const;

/** The first step not done yet: where the wizard opens (past the last one, all done, once active). */
function nextStep(source: DataSource | undefined): number {
  if (!source) return 0;
  if (source.status === 'configured') return 1;
  if (!source.mappings) return 2;
  return source.status === 'active' ? STEPS.length : 3;
}

/**
 * Bring your own database, for a byod tenant's admin on its own `/api/tenant/data-source` routes:
 * enter the connection, test it, browse what it found, map our entities onto its tables, activate.
 */
export function DataSourcePage() {
  const profile = useLoaded(tenantProfile);
  const [source, setSource] = useState<DataSource | null>();
  const [loadError, setLoadError] = useState<unknown>();
  const [step, setStep] = useState(0);

  const show = useCallback((next: DataSource | undefined, moveOn = true) => {
    setSource(next ?? null);
    if (moveOn) setStep(nextStep(next));
  }, []);

  const byod = profile.data?.placement === 'byod';
  useEffect(() => {
    if (!byod) return;
    // No source yet answers 404: the wizard starts at the connection.
    getDataSource().then(show, (failure) =>
      failure instanceof ApiError && failure.status === 404 ? show(undefined) : setLoadError(failure),
    );
  }, [byod, show]);

  if (profile.error) return <ApiErrorAlert error={profile.error} title="The tenant could not be loaded" />;
  if (!profile.data) return <Loader aria-label="Loading" />;
  if (!byod)
    return (
      <Alert title="Nothing to bring here">
        {profile.data.name} keeps its data in Tenantry ({profile.data.placement} placement): only a byod tenant serves it from its own
        database. Its <Link to="/webhooks">webhooks</Link> and <Link to="/api-keys">API keys</Link> are managed here.
      </Alert>
    );
  if (source === undefined)
    return loadError ? <ApiErrorAlert error={loadError} title="The data source could not be loaded" /> : <Loader aria-label="Loading" />;

  const current = source ?? undefined;
  const done = [
    Boolean(current),
    current !== undefined && current.status !== 'configured',
    Boolean(current?.mappings),
    current?.status === 'active',
  ];
  return (
    <Stack>
      <Group gap="sm">
        <Title order={1} size="h2">
          Your own database
        </Title>
        {current && <StatusBadge status={current.status} />}
      </Group>
      <Text>
        {profile.data.name}’s records are served from its own system once a source is tested, mapped and activated. Every step is checked by
        the API; secrets are stored encrypted and never shown again.
      </Text>
      <Stepper active={step} onStepClick={setStep} size="sm" allowNextStepsSelect={false}>
        {STEPS.map((label, index) => (
          <Stepper.Step key={label} label={label} description={done[index] ? 'done' : undefined} />
        ))}
      </Stepper>
      {step === 0 && <ConnectionForm source={current} onSaved={(saved) => show(saved)} />}
      {step === 1 && current && <TestStep source={current} onTested={(tested) => show(tested, false)} onNext={() => setStep(2)} />}
      {step === 2 && current?.introspection && <MappingsEditor source={current} onSaved={(saved) => show(saved, false)} />}
      {step === 2 && current?.mappings && (
        <Group>
          <Button variant="default" onClick={() => setStep(3)}>
            Next: activate
          </Button>
        </Group>
      )}
      {step >= 3 && current && <ActivateStep source={current} onActivated={(active) => show(active)} />}
    </Stack>
  );
}

function TestStep({ source, onTested, onNext }: { source: DataSource; onTested: (source: DataSource) => void; onNext: () => void }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const test = async () => {
    setBusy(true);
    setError(undefined);
    try {
      onTested(await testDataSource());
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const tables = source.introspection?.tables;
  return (
    <Stack>
      <Text>
        Connects to {describe(source)} and reads its tables and columns (nothing is written).
        {source.testedAt && ` Last tested ${new Date(source.testedAt).toLocaleString()}.`}
      </Text>
      <Group>
        <Button onClick={() => void test()} loading={busy}>
          Test the connection
        </Button>
        {tables && source.status !== 'configured' && (
          <Button variant="default" onClick={onNext}>
            Next: map the fields
          </Button>
        )}
      </Group>
      <ApiErrorAlert error={error} title="The test failed" />
      {tables && source.status !== 'configured' && (
        <Stack component="section" aria-label="What the test found" gap="xs">
          <Title order={2} size="h3">
            What the test found
          </Title>
          <IntrospectionBrowser tables={tables} />
        </Stack>
      )}
    </Stack>
  );
}

function describe(source: DataSource): string {
  const { connection } = source;
  return connection.baseUrl ?? `${source.kind} at ${connection.host}:${connection.port}, database ${connection.database}`;
}

function ActivateStep({ source, onActivated }: { source: DataSource; onActivated: (source: DataSource) => void }) {
  const mapped = MAPPABLE_ENTITIES.filter((entity) => source.mappings?.[entity]);
  const served = mapped.map((entity) => `${ENTITY_LABELS[entity].toLowerCase()} from ${source.mappings![entity]!.table}`).join(', ');
  if (source.status === 'active')
    return (
      <Stack>
        <Text role="status" fw={500}>
          Active since {new Date(source.activatedAt!).toLocaleString()}: {served} are served from {describe(source)}.
        </Text>
        {source.mappings?.contact && <ServedContacts />}
      </Stack>
    );
  return (
    <Stack>
      <Text>
        Activating serves {served || 'nothing yet'} from {describe(source)}
        {source.readOnly ? ', read only' : ''}.
      </Text>
      <Group>
        <ConfirmAction
          label="Activate"
          deniedReason={
            source.status !== 'tested' ? 'Test the connection first.' : mapped.length === 0 ? 'Map at least one entity first.' : undefined
          }
          consequence={`From now on ${served} are read${source.readOnly ? '' : ' and written'} in your database, not in Tenantry.`}
          onConfirm={async () => onActivated(await activateDataSource())}
        />
      </Group>
    </Stack>
  );
}

/** The first contacts the tenant's API now answers: read from the customer's own table. */
function ServedContacts() {
  const { data, error } = useLoaded(firstContacts);
  return (
    <Stack component="section" aria-label="Contacts served from your database" gap="xs">
      <Title order={2} size="h3">
        Contacts served from your database
      </Title>
      <ApiErrorAlert error={error} title="The contacts could not be read" />
      {data && data.items.length === 0 && <Text>The table has no row yet.</Text>}
      {data && data.items.length > 0 && (
        <Table aria-label="Contacts served from your database">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Id</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>E-mail</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {data.items.map((contact) => (
              <Table.Tr key={contact.id}>
                <Table.Td>{contact.id}</Table.Td>
                <Table.Td>
                  {contact.firstName} {contact.lastName}
                </Table.Td>
                <Table.Td>{contact.email ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Anchor component={Link} to="/webhooks" size="sm">
        Next: webhooks
      </Anchor>
    </Stack>
  );
}
