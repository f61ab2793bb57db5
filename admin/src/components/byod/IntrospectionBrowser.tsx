import { Badge, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { IntrospectedTable } from '../../api/data-source';

/** The tables and columns the last test found, one table at a time, with what each column can hold. */
export function IntrospectionBrowser({ tables }: { tables: IntrospectedTable[] }) {
  const [chosen, setChosen] = useState(tables[0]?.name ?? '');
  if (tables.length === 0) return <Text>The test found no table the credentials may read.</Text>;
  const table = tables.find((candidate) => candidate.name === chosen) ?? tables[0];
  return (
    <Stack gap="xs">
      <NativeSelect
        label="Table"
        description={`${tables.length} found`}
        data={tables.map((candidate) => ({ value: candidate.name, label: `${candidate.name} (${candidate.columns.length} columns)` }))}
        value={table.name}
        onChange={(event) => setChosen(event.currentTarget.value)}
        w={320}
      />
      <Table.ScrollContainer minWidth={560}>
        <Table aria-label={`Columns of ${table.name}`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Column</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>As declared</Table.Th>
              <Table.Th>Null</Table.Th>
              <Table.Th>Allowed values</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {table.columns.map((column) => (
              <Table.Tr key={column.name}>
                <Table.Td>
                  {column.name}{' '}
                  {column.primaryKey && (
                    <Badge size="xs" variant="outline" color="dark">
                      primary key
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{column.type}</Table.Td>
                <Table.Td>{column.rawType}</Table.Td>
                <Table.Td>{column.nullable ? 'yes' : 'no'}</Table.Td>
                <Table.Td>{column.allowedValues?.members.join(', ') ?? '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Stack>
  );
}
