import { Button, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useCallback } from 'react';
import { DATA_AUDIT_ACTIONS, type DataAuditQuery, listDataAudit, listTenantUsers, type TenantUser } from '../api/data-audit';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ChangesDiff } from '../components/ChangesDiff';
import { PageButtons } from '../components/PageButtons';
import { filtersOf, navigateToFiltered, TIME_RANGE_NAMES, TimeRangeInputs, timeRangeOf } from '../components/url-filters';
import { useCursorPaging } from '../components/useCursorPaging';
import { useLoaded } from '../components/useLoaded';
import { useSearch } from '../router';
import { useMe } from '../session/SessionContext';

const PAGE_SIZE = 50;
const TEXT_FILTERS = [
  { name: 'entity', label: 'Record kind', description: 'e.g. contact, note' },
  { name: 'entityId', label: 'Record id', description: 'One record’s history' },
] as const;
const TEXT_FILTER_NAMES = TEXT_FILTERS.map((filter) => filter.name);
const FILTERS = ['actorUserId', 'action', ...TEXT_FILTER_NAMES, ...TIME_RANGE_NAMES];

/**
 * The signed-in tenant's data audit trail (`/api/audit`), searched by actor, action, record and time; each
 * change shown as a diff. Its admins read it signed in to the tenant: no `/control` route reads a tenant's data.
 */
export function DataAuditPage() {
  const me = useMe();
  const search = useSearch();
  const filterKey = search.toString();
  const load = useCallback(
    (cursor: string | undefined) => listDataAudit({ ...queryOf(new URLSearchParams(filterKey)), cursor }),
    [filterKey],
  );
  const paging = useCursorPaging(load);
  const { page, error } = paging;
  const { data: users, error: usersError } = useLoaded(listTenantUsers);
  const nameOf = (id: string | null) => {
    if (!id) return 'the platform';
    const user = users?.find((candidate) => candidate.userId === id);
    return user ? `${user.name} (${user.email})` : id;
  };

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    navigateToFiltered('/data-audit', new FormData(event.currentTarget), FILTERS);
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        Data audit of {me.tenant?.name}
      </Title>
      {/* Mounted again when the users arrive, so the URL's actor is selected among them. */}
      <form onSubmit={applyFilters} key={`${filterKey} ${users?.length}`} aria-label="Search the data audit trail">
        <Group align="flex-end" gap="sm">
          <NativeSelect
            name="actorUserId"
            label="Actor"
            description="Who changed it"
            defaultValue={search.get('actorUserId') ?? ''}
            data={actorOptions(users ?? [], search.get('actorUserId'))}
            w={230}
          />
          <NativeSelect
            name="action"
            label="Action"
            description="What was done"
            defaultValue={search.get('action') ?? ''}
            data={[{ value: '', label: 'Any' }, ...DATA_AUDIT_ACTIONS]}
            w={130}
          />
          {TEXT_FILTERS.map((filter) => (
            <TextInput key={filter.name} {...filter} defaultValue={search.get(filter.name) ?? ''} w={190} />
          ))}
          <TimeRangeInputs search={search} />
          <Button type="submit" variant="default">
            Search
          </Button>
        </Group>
      </form>
      <ApiErrorAlert error={usersError} title="The tenant's users could not be listed (actors show as ids)" />
      <ApiErrorAlert error={error} title="The data audit trail could not be searched" />
      {page && (
        <>
          <Table.ScrollContainer minWidth={720}>
            <Table striped aria-label="Data audit entries">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Record</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Changes</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td>{new Date(entry.occurredAt).toLocaleString()}</Table.Td>
                    <Table.Td>{entry.action}</Table.Td>
                    <Table.Td>
                      {entry.entity} {entry.entityId}
                    </Table.Td>
                    <Table.Td>{nameOf(entry.actorUserId)}</Table.Td>
                    <Table.Td>
                      <ChangesDiff changes={entry.changes} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {page.items.length === 0 && <Text>No change matches.</Text>}
          <PageButtons paging={paging} />
        </>
      )}
    </Stack>
  );
}

/** The tenant's users to pick an actor from; an actor in the URL who is no longer a user stays choosable by id. */
function actorOptions(users: TenantUser[], chosen: string | null) {
  const options = users.map((user) => ({ value: user.userId, label: `${user.name} (${user.email})` }));
  if (chosen && !users.some((user) => user.userId === chosen)) options.push({ value: chosen, label: chosen });
  return [{ value: '', label: 'Anyone' }, ...options];
}

/** The URL's filters as the API's query. */
function queryOf(search: URLSearchParams): DataAuditQuery {
  // The API checks the values (an action it does not know answers 400, shown as it words it).
  return {
    limit: PAGE_SIZE,
    ...filtersOf(search, ['actorUserId', 'action', ...TEXT_FILTER_NAMES]),
    ...timeRangeOf(search),
  } as DataAuditQuery;
}
