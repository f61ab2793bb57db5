import { Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { hasPendingWork, jobsIn, provisioningOverview, type ProvisioningJob } from '../api/provisioning';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { usePolling } from '../components/usePolling';
import { Link } from '../router';

/** The provisioning queue: how many jobs wait, run, retry or failed, and which tenants they are for. */
export function QueuePage() {
  const { data: overview, error } = usePolling(provisioningOverview, hasPendingWork, 2000);
  return (
    <Stack>
      <Title order={1} size="h2">
        Provisioning queue
      </Title>
      <ApiErrorAlert error={error} title="The queue could not be read" />
      {overview && (
        <>
          <Group gap="sm" data-testid="queue-counts">
            <Count label="Waiting" value={overview.queueDepth} />
            <Count label="Running" value={overview.running.length} />
            <Count label="Retrying" value={overview.retrying.length} />
            <Count label="Failed" value={jobsIn(overview, 'failed')} />
            <Count label="Completed" value={jobsIn(overview, 'completed')} />
          </Group>
          <Jobs title="Running" jobs={overview.running} />
          <Jobs title="Waiting for a retry" jobs={overview.retrying} />
          <Jobs title="Failed for good (latest 20)" jobs={overview.failed} />
        </>
      )}
    </Stack>
  );
}

function Count({ label, value }: { label: string; value: number }) {
  return (
    <Paper withBorder p="xs" miw={110}>
      <Text size="xs" c="gray.8">
        {label}
      </Text>
      <Text size="xl" fw={700}>
        {value}
      </Text>
    </Paper>
  );
}

function Jobs({ title, jobs }: { title: string; jobs: ProvisioningJob[] }) {
  return (
    <Stack gap="xs" component="section" aria-label={title}>
      <Title order={2} size="h3">
        {title}
      </Title>
      {jobs.length === 0 ? (
        <Text>None.</Text>
      ) : (
        <Table.ScrollContainer minWidth={560}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Tenant</Table.Th>
                <Table.Th>Retries</Table.Th>
                <Table.Th>Started</Table.Th>
                <Table.Th>Error</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {jobs.map((job) => (
                <Table.Tr key={job.jobId}>
                  <Table.Td>
                    <Link to={`/tenants/${job.tenantId}`}>{job.tenantId}</Link>
                  </Table.Td>
                  <Table.Td>{job.retryCount}</Table.Td>
                  <Table.Td>{job.startedOn ? new Date(job.startedOn).toLocaleString() : '—'}</Table.Td>
                  <Table.Td>{job.error}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
