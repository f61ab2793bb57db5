import { Anchor, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useCallback } from 'react';
import type { components } from '../../../packages/client';
import { getTenant, isSettling, tenantUsage } from '../api/tenants';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ProvisioningProgress, ProvisioningTimeline } from '../components/ProvisioningTimeline';
import { StatusBadge } from '../components/StatusBadge';
import { PlanQuotas } from '../components/PlanQuotas';
import { TenantActions } from '../components/TenantActions';
import { TenantMembers } from '../components/TenantMembers';
import { useLoaded } from '../components/useLoaded';
import { Section } from '../components/Section';
import { usePolling } from '../components/usePolling';
import { Link } from '../router';
import { denial } from '../session/permissions';
import { useMe } from '../session/SessionContext';
import classes from './TenantPage.module.css';

/** One tenant: where it lives, its plan and modules, its provisioning (followed live), members and usage. */
export function TenantPage({ id }: { id: string }) {
  const load = useCallback(() => getTenant(id), [id]);
  const { data: tenant, error, reload } = usePolling(load, isSettling);

  if (!tenant) return error ? <ApiErrorAlert error={error} title="The tenant could not be loaded" /> : <Loader aria-label="Loading" />;
  const steps = tenant.provisioning ?? [];
  return (
    <Stack>
      <Anchor component={Link} to="/tenants" size="sm">
        ← All tenants
      </Anchor>
      <Group gap="sm">
        <Title order={1} size="h2">
          {tenant.name}
        </Title>
        <StatusBadge status={tenant.status} />
      </Group>
      <ApiErrorAlert error={error} title="The tenant could not be refreshed" />
      {tenant.status === 'provisioning' && <ProvisioningProgress steps={steps} />}
      <TenantActions tenant={tenant} onChanged={reload} />
      <div className={classes.facts}>
        <Fact label="Slug" value={tenant.slug} />
        <Fact label="Placement" value={tenant.placement} />
        <Fact label="Plan" value={tenant.plan} />
        <Fact label="Modules" value={tenant.enabledModules.join(', ') || 'none'} />
        <Fact label="Schema version" value={tenant.schemaVersion ?? '—'} />
        <Fact label="Created" value={new Date(tenant.createdAt).toLocaleString()} />
      </div>
      {tenant.failureReason && <ApiErrorAlert error={new Error(tenant.failureReason)} title="Provisioning failed" />}
      <Section title="Provisioning timeline">
        <ProvisioningTimeline steps={steps} />
      </Section>
      {tenant.status !== 'provisioning' && <TenantMembers tenantId={tenant.id} />}
      <PlanQuotas plan={tenant.plan} />
      <Usage tenantId={tenant.id} />
    </Stack>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder p="xs">
      <Text size="xs" c="gray.8">
        {label}
      </Text>
      <Text className={classes.factValue} data-testid={`fact-${label.toLowerCase().replace(' ', '-')}`}>
        {value}
      </Text>
    </Paper>
  );
}

type UsageDay = components['schemas']['UsageDayDto'];

function Usage({ tenantId }: { tenantId: string }) {
  const deniedReason = denial(useMe(), 'tenants.usage');
  const { data: days, error } = useLoaded(
    useCallback(() => tenantUsage(tenantId), [tenantId]),
    deniedReason !== undefined,
  );
  return (
    <Section title="Usage (last 30 days)">
      {deniedReason && <Text>{deniedReason}</Text>}
      <ApiErrorAlert error={error} title="The usage could not be loaded" />
      {days && days.length === 0 && <Text>No usage recorded yet.</Text>}
      {days && days.length > 0 && (
        <Table.ScrollContainer minWidth={560}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Day</Table.Th>
                <Table.Th>API calls</Table.Th>
                <Table.Th>Writes</Table.Th>
                <Table.Th>Active users</Table.Th>
                <Table.Th>Rows</Table.Th>
                <Table.Th>Storage</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {days.map((day: UsageDay) => (
                <Table.Tr key={day.day}>
                  <Table.Td>{day.day}</Table.Td>
                  <Table.Td>{day.apiCalls}</Table.Td>
                  <Table.Td>{day.writes}</Table.Td>
                  <Table.Td>{day.activeUsers}</Table.Td>
                  <Table.Td>{day.rows ?? 'not measured'}</Table.Td>
                  <Table.Td>{day.storageBytes === null ? 'not measured' : `${Math.round(day.storageBytes / 1024)} KiB`}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Section>
  );
}
