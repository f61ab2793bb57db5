import { Progress, Stack, Table, Text } from '@mantine/core';
import { PROVISIONING_STEPS, type TenantDetail } from '../api/tenants';
import { StatusBadge } from './StatusBadge';

type Step = NonNullable<TenantDetail['provisioning']>[number];

/** How far the latest attempt got: steps done (or skipped as already done) out of all steps. */
export function ProvisioningProgress({ steps }: { steps: Step[] }) {
  const attempt = Math.max(0, ...steps.map((step) => step.attempt));
  const done = steps.filter((step) => step.attempt === attempt && (step.status === 'succeeded' || step.status === 'skipped')).length;
  const running = steps.find((step) => step.attempt === attempt && step.status === 'running');
  const percent = Math.round((done / PROVISIONING_STEPS.length) * 100);
  return (
    <Stack gap={4}>
      <Progress value={percent} aria-label="Provisioning progress" size="lg" striped animated />
      <Text size="sm" data-testid="provisioning-progress">
        Provisioning: {done} of {PROVISIONING_STEPS.length} steps done{running ? `, now: ${running.step}` : ''}
      </Text>
    </Stack>
  );
}

/** Every step of every attempt, timed, with what it did or why it failed. */
export function ProvisioningTimeline({ steps }: { steps: Step[] }) {
  if (steps.length === 0) return <Text>No provisioning step recorded yet.</Text>;
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table aria-label="Provisioning steps">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Attempt</Table.Th>
            <Table.Th>Step</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Took</Table.Th>
            <Table.Th>Detail</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {steps.map((step) => (
            <Table.Tr key={`${step.attempt}-${step.step}-${step.startedAt}`}>
              <Table.Td>{step.attempt}</Table.Td>
              <Table.Td>{step.step}</Table.Td>
              <Table.Td>
                <StatusBadge status={step.status} />
              </Table.Td>
              <Table.Td>{new Date(step.startedAt).toLocaleTimeString()}</Table.Td>
              <Table.Td>{step.durationMs === null ? '…' : `${step.durationMs} ms`}</Table.Td>
              <Table.Td>{step.detail}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
