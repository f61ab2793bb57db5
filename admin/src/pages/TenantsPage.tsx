import { Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useCallback } from 'react';
import { type PlanOption, usePlanOptions } from '../api/plans';
import { listTenants, PLACEMENTS, TENANT_STATUSES, type TenantQuery } from '../api/tenants';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { GuardedButton } from '../components/GuardedButton';
import { PageButtons } from '../components/PageButtons';
import { useCursorPaging } from '../components/useCursorPaging';
import { StatusBadge } from '../components/StatusBadge';
import { Link, navigate, useSearch } from '../router';
import { denial } from '../session/permissions';
import { useMe } from '../session/SessionContext';
import { navigateToFiltered, filtersOf } from '../components/url-filters';

/** Tenants per page unless the URL says otherwise (`?limit=`, which the API caps at 100). */
const PAGE_SIZE = 20;
const FILTERS = ['search', 'status', 'plan', 'placement'] as const;

/** Tenants with search, filters (kept in the URL, so a filtered list can be shared) and cursor paging. */
export function TenantsPage() {
  const me = useMe();
  const search = useSearch();
  const filterKey = search.toString();
  const load = useCallback(
    (cursor: string | undefined) => listTenants({ ...queryOf(new URLSearchParams(filterKey)), cursor }),
    [filterKey],
  );
  const paging = useCursorPaging(load);
  const plans = usePlanOptions();
  const { page, error } = paging;

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const limit = search.get('limit');
    navigateToFiltered('/tenants', new FormData(event.currentTarget), FILTERS, limit ? { limit } : {});
  };

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">
          Tenants
        </Title>
        <GuardedButton deniedReason={denial(me, 'tenants.create')} onClick={() => navigate('/tenants/new')}>
          New tenant
        </GuardedButton>
      </Group>
      {/* Mounted again when the plans arrive, so the URL's plan is selected among them. */}
      <form onSubmit={applyFilters} key={`${filterKey} ${plans.length}`} aria-label="Filter tenants">
        <Group align="flex-end" gap="sm">
          <TextInput name="search" label="Search slug or name" defaultValue={search.get('search') ?? ''} />
          <FilterSelect name="status" label="Status" options={TENANT_STATUSES} value={search.get('status')} />
          <FilterSelect name="plan" label="Plan" options={plans} value={search.get('plan')} />
          <FilterSelect name="placement" label="Placement" options={PLACEMENTS} value={search.get('placement')} />
          <Button type="submit" variant="default">
            Apply
          </Button>
        </Group>
      </form>
      <ApiErrorAlert error={error} title="The tenants could not be listed" />
      {page && (
        <>
          <Table.ScrollContainer minWidth={640}>
            <Table striped highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Slug</Table.Th>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Status</Table.Th>
                  <Table.Th>Plan</Table.Th>
                  <Table.Th>Placement</Table.Th>
                  <Table.Th>Created</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((tenant) => (
                  <Table.Tr key={tenant.id}>
                    <Table.Td>
                      <Link to={`/tenants/${tenant.id}`}>{tenant.slug}</Link>
                    </Table.Td>
                    <Table.Td>{tenant.name}</Table.Td>
                    <Table.Td>
                      <StatusBadge status={tenant.status} />
                    </Table.Td>
                    <Table.Td>{tenant.plan}</Table.Td>
                    <Table.Td>{tenant.placement}</Table.Td>
                    <Table.Td>{new Date(tenant.createdAt).toLocaleString()}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {page.items.length === 0 && <Text>No tenant matches.</Text>}
          <PageButtons paging={paging} />
        </>
      )}
    </Stack>
  );
}

interface FilterSelectProps {
  name: string;
  label: string;
  options: readonly (string | PlanOption)[];
  value: string | null;
}

function FilterSelect({ name, label, options, value }: FilterSelectProps) {
  return <NativeSelect name={name} label={label} defaultValue={value ?? ''} data={[{ value: '', label: 'Any' }, ...options]} />;
}

function queryOf(search: URLSearchParams): TenantQuery {
  // The API checks the values (an unknown status answers 400, shown as it words it).
  return { limit: Number(search.get('limit') ?? PAGE_SIZE), ...filtersOf(search, FILTERS) } as TenantQuery;
}
