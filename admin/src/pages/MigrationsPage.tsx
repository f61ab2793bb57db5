import { Anchor, Checkbox, Group, NumberInput, Progress, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { countOf, getMigrationRun, isUnfinished, listMigrationRuns, type MigrationRun, startMigrationRun } from '../api/migrations';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { GuardedButton } from '../components/GuardedButton';
import { StatusBadge } from '../components/StatusBadge';
import { usePolling } from '../components/usePolling';
import { Link, navigate, useSearch } from '../router';
import { denial } from '../session/permissions';
import { useMe } from '../session/SessionContext';
import { textField } from '../components/form-fields';

/** Starts fleet migrations (dry run, canary, concurrency) and follows a run database by database. */
export function MigrationsPage() {
  const runId = useSearch().get('run');
  return (
    <Stack>
      <Title order={1} size="h2">
        Fleet migrations
      </Title>
      <StartMigrationForm />
      {runId ? <RunProgress id={runId} /> : <RecentRuns />}
    </Stack>
  );
}

function StartMigrationForm() {
  const me = useMe();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const canary = textField(form, 'canary');
    const tenant = textField(form, 'tenant');
    setBusy(true);
    setError(undefined);
    try {
      const run = await startMigrationRun({
        dryRun: form.get('dryRun') === 'on',
        concurrency: Number(textField(form, 'concurrency')),
        ...(canary ? { canary: Number(canary) } : {}),
        ...(tenant ? { tenant } : {}),
      });
      navigate(`/migrations?run=${run.id}`);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} aria-label="Start a fleet migration">
      <Stack gap="sm">
        <Group align="flex-end" gap="sm">
          <NumberInput name="concurrency" label="Concurrency" description="Databases at once" defaultValue={4} min={1} max={64} w={150} />
          <NumberInput name="canary" label="Canary" description="First N, stop on failure" min={1} w={170} />
          <TextInput name="tenant" label="Only tenant" description="Slug (optional)" w={200} />
        </Group>
        <Checkbox name="dryRun" label="Dry run: list what would run where, change nothing" defaultChecked />
        <ApiErrorAlert error={error} title="The migration was not started" />
        <div>
          <GuardedButton type="submit" loading={busy} deniedReason={denial(me, 'migrations.run')}>
            Start migration
          </GuardedButton>
        </div>
      </Stack>
    </form>
  );
}

function RunProgress({ id }: { id: string }) {
  const load = useCallback(() => getMigrationRun(id), [id]);
  const { data: run, error } = usePolling(load, isUnfinished);
  if (!run) return <ApiErrorAlert error={error} title="The run could not be loaded" />;
  const targets = run.targets ?? [];
  const dryRun = run.options.dryRun;
  const finished = targets.filter(isFinished);
  const wouldMigrate = finished.filter((target) => dryRunStatus(target) === 'would migrate').length;
  return (
    <Stack component="section" aria-label="Migration run">
      <Group gap="sm">
        <Title order={2} size="h3">
          {dryRun ? 'Dry run' : 'Run'} to {run.targetVersion}
        </Title>
        <StatusBadge status={run.status} />
      </Group>
      <ApiErrorAlert error={error} title="The run could not be refreshed" />
      <Progress value={targets.length ? (finished.length / targets.length) * 100 : 0} aria-label="Databases done" size="lg" />
      <Text size="sm" data-testid="migration-summary">
        {dryRun
          ? `${finished.length} of ${targets.length} databases inspected: ${wouldMigrate} would be migrated, `
          : `${finished.length} of ${targets.length} databases done: ${countOf(run, 'migrated')} migrated, `}
        {countOf(run, 'current')} current, {countOf(run, 'failed')} failed, {countOf(run, 'skipped')} skipped
        {dryRun ? ' (dry run: nothing changed)' : ''}
      </Text>
      {run.error && <ApiErrorAlert error={new Error(run.error)} title="The run stopped" />}
      <Table.ScrollContainer minWidth={640}>
        <Table aria-label="Databases of the run">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Database</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>{dryRun ? 'Would apply' : 'Applied'}</Table.Th>
              <Table.Th>Took</Table.Th>
              <Table.Th>Error</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {targets.map((target) => (
              <Table.Tr key={target.target}>
                <Table.Td>{target.label}</Table.Td>
                <Table.Td>{target.kind}</Table.Td>
                <Table.Td>
                  <StatusBadge status={dryRun ? dryRunStatus(target) : target.status} />
                </Table.Td>
                <Table.Td>{target.applied.join(', ') || '—'}</Table.Td>
                <Table.Td>{target.durationMs === null ? '…' : `${target.durationMs} ms`}</Table.Td>
                <Table.Td>{target.error}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Anchor component={Link} to="/migrations" size="sm">
        All runs
      </Anchor>
    </Stack>
  );
}

type Target = NonNullable<MigrationRun['targets']>[number];

/** A database the runner is through with; in a dry run, `pending` then means it would be migrated. */
const isFinished = (target: Target) => target.status !== 'pending' || target.durationMs !== null;

/**
 * What a dry run found: pending migrations (listed in `applied`), or a database it does not inspect
 * (the template, rebuilt by a real run), or the target's own status.
 */
function dryRunStatus(target: Target): string {
  if (target.status !== 'pending' || !isFinished(target)) return target.status;
  return target.applied.length > 0 ? 'would migrate' : 'not inspected';
}

function RecentRuns() {
  const [runs, setRuns] = useState<MigrationRun[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    listMigrationRuns().then(setRuns, setError);
  }, []);
  return (
    <Stack component="section" aria-label="Recent runs" gap="xs">
      <Title order={2} size="h3">
        Recent runs
      </Title>
      <ApiErrorAlert error={error} title="The runs could not be listed" />
      {runs && runs.length === 0 && <Text>No run yet.</Text>}
      {runs && runs.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Started</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Target version</Table.Th>
                <Table.Th>Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.map((run) => (
                <Table.Tr key={run.id}>
                  <Table.Td>
                    <Link to={`/migrations?run=${run.id}`}>{new Date(run.createdAt).toLocaleString()}</Link>
                  </Table.Td>
                  <Table.Td>{run.options.dryRun ? 'dry run' : 'migration'}</Table.Td>
                  <Table.Td>{run.targetVersion}</Table.Td>
                  <Table.Td>
                    <StatusBadge status={run.status} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
