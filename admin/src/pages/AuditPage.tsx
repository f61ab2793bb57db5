import { Button, Group, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useCallback } from 'react';
import { type AuditQuery, listAudit } from '../api/audit';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ChangesDiff } from '../components/ChangesDiff';
import { textField } from '../components/form-fields';
import { PageButtons } from '../components/PageButtons';
import { useCursorPaging } from '../components/useCursorPaging';
import { Link, navigate, useSearch } from '../router';

const PAGE_SIZE = 50;
const TEXT_FILTERS = [
  { name: 'action', label: 'Action', description: 'Exact, e.g. tenant.suspend' },
  { name: 'actorUserId', label: 'Actor (user id)', description: 'Who acted' },
  { name: 'tenantId', label: 'Tenant id', description: 'Whose tenant' },
  { name: 'targetType', label: 'Target type', description: 'e.g. tenant, user' },
  { name: 'targetId', label: 'Target id', description: 'What was changed' },
] as const;
const TIME_FILTERS = [
  { name: 'from', label: 'From', description: 'Included' },
  { name: 'to', label: 'Until', description: 'Excluded' },
] as const;

/** The control-plane audit trail, searched by actor, action, target and time; each change shown as a diff. */
export function AuditPage() {
  const search = useSearch();
  const filterKey = search.toString();
  const load = useCallback((cursor: string | undefined) => listAudit({ ...queryOf(new URLSearchParams(filterKey)), cursor }), [filterKey]);
  const paging = useCursorPaging(load);
  const { page, error } = paging;

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const params = new URLSearchParams();
    for (const { name } of [...TEXT_FILTERS, ...TIME_FILTERS]) {
      const value = textField(form, name);
      if (value) params.set(name, value);
    }
    navigate(`/audit${params.size ? `?${params}` : ''}`);
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
          {TIME_FILTERS.map((filter) => (
            <TextInput key={filter.name} {...filter} type="datetime-local" defaultValue={search.get(filter.name) ?? ''} w={210} />
          ))}
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

/** The URL's filters as the API's query; times typed in local time are sent as instants. */
function queryOf(search: URLSearchParams): AuditQuery {
  const query: AuditQuery = { limit: PAGE_SIZE };
  for (const { name } of TEXT_FILTERS) {
    const value = search.get(name);
    if (value) query[name] = value;
  }
  for (const { name } of TIME_FILTERS) {
    const value = search.get(name);
    if (value) query[name] = new Date(value).toISOString();
  }
  return query;
}
