import { Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useCallback } from 'react';
import { type AuditQuery, listAudit } from '../api/audit';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ChangesDiff } from '../components/ChangesDiff';
import { PageButtons } from '../components/PageButtons';
import { filtersOf, navigateToFiltered, TIME_RANGE_NAMES, TimeRangeInputs, timeRangeOf } from '../components/url-filters';
import { useCursorPaging } from '../components/useCursorPaging';
import { Link, useSearch } from '../router';

const PAGE_SIZE = 50;
const TEXT_FILTERS = [
  { name: 'action', label: 'Action', description: 'Exact, e.g. tenant.suspend' },
  { name: 'actorUserId', label: 'Actor (user id)', description: 'Who acted' },
  { name: 'tenantId', label: 'Tenant id', description: 'Whose tenant' },
  { name: 'targetType', label: 'Target type', description: 'e.g. tenant, user' },
  { name: 'targetId', label: 'Target id', description: 'What was changed' },
] as const;
const TEXT_FILTER_NAMES = TEXT_FILTERS.map((filter) => filter.name);

/** The control-plane audit trail, searched by actor, action, target and time; each change shown as a diff. */
export function AuditPage() {
  const search = useSearch();
  const filterKey = search.toString();
  const load = useCallback((cursor: string | undefined) => listAudit({ ...queryOf(new URLSearchParams(filterKey)), cursor }), [filterKey]);
  const paging = useCursorPaging(load);
  const { page, error } = paging;

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    navigateToFiltered('/audit', new FormData(event.currentTarget), [...TEXT_FILTER_NAMES, ...TIME_RANGE_NAMES]);
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        Audit trail
      </Title>
      <form onSubmit={applyFilters} key={filterKey} aria-label="Search the audit trail">
        <Group align="flex-end" gap="sm">
          {TEXT_FILTERS.map((filter) => (
            <TextInput key={filter.name} {...filter} defaultValue={search.get(filter.name) ?? ''} w={190} />
          ))}
          <TimeRangeInputs search={search} />
          <Button type="submit" variant="default">
            Search
          </Button>
        </Group>
      </form>
      <ApiErrorAlert error={error} title="The audit trail could not be searched" />
      {page && (
        <>
          <Table.ScrollContainer minWidth={720}>
            <Table striped aria-label="Audit entries">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>When</Table.Th>
                  <Table.Th>Action</Table.Th>
                  <Table.Th>Actor</Table.Th>
                  <Table.Th>Target</Table.Th>
                  <Table.Th>Changes</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {page.items.map((entry) => (
                  <Table.Tr key={entry.id}>
                    <Table.Td>{new Date(entry.occurredAt).toLocaleString()}</Table.Td>
                    <Table.Td>{entry.action}</Table.Td>
                    <Table.Td>
                      {entry.actorUserId ?? 'the platform'}
                      {entry.actorApiKeyId && <Text size="xs">through API key {entry.actorApiKeyId}</Text>}
                    </Table.Td>
                    <Table.Td>
                      {entry.targetType === 'tenant' && entry.targetId ? (
                        <Link to={`/tenants/${entry.targetId}`}>tenant {entry.targetId}</Link>
                      ) : (
                        `${entry.targetType} ${entry.targetId ?? ''}`
                      )}
                    </Table.Td>
                    <Table.Td>
                      <ChangesDiff changes={entry.changes} />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {page.items.length === 0 && <Text>No entry matches.</Text>}
          <PageButtons paging={paging} />
        </>
      )}
    </Stack>
  );
}

/** The URL's filters as the API's query. */
function queryOf(search: URLSearchParams): AuditQuery {
  return { limit: PAGE_SIZE, ...filtersOf(search, TEXT_FILTER_NAMES), ...timeRangeOf(search) };
}
