import { Table, Text } from '@mantine/core';
import { useCallback } from 'react';
import { getPlan } from '../api/plans';
import { ApiErrorAlert } from './ApiErrorAlert';
import { Section } from './Section';
import { useLoaded } from './useLoaded';

const limit = (value: number | null, unit = '') => (value === null ? 'unlimited' : `${value.toLocaleString()}${unit}`);

/** The quotas the tenant's plan sets (GET /control/plans/{name}); what the tenant uses is in its usage. */
export function PlanQuotas({ plan }: { plan: string }) {
  const { data, error } = useLoaded(useCallback(() => getPlan(plan), [plan]));
  return (
    <Section title={`Quotas of the ${plan} plan`}>
      <ApiErrorAlert error={error} title="The plan could not be read" />
      {data && (
        <Table aria-label="Plan quotas" maw={560}>
          <Table.Tbody>
            <Quota label="Users" value={limit(data.maxUsers)} />
            <Quota label="Contacts" value={limit(data.maxContacts)} />
            <Quota label="API calls per month" value={limit(data.maxApiCallsPerMonth)} />
            <Quota label="Storage" value={limit(data.storageMb, ' MiB')} />
            <Quota label="Requests per minute (tenant)" value={limit(data.tenantRequestsPerMinute)} />
          </Table.Tbody>
        </Table>
      )}
      {data && <Text size="sm">Modules the plan allows: {data.modules.join(', ') || 'none'}</Text>}
    </Section>
  );
}

function Quota({ label, value }: { label: string; value: string }) {
  return (
    <Table.Tr>
      <Table.Th scope="row">{label}</Table.Th>
      <Table.Td>{value}</Table.Td>
    </Table.Tr>
  );
}
