import { Code, Stack, Table, Text, Title } from '@mantine/core';
import { Section } from '../components/Section';
import { ACTIONS, type Action, denial, roleLabel } from '../session/permissions';
import { useMe } from '../session/SessionContext';

/** The console's actions in plain words. */
const ACTION_LABELS: Record<Action, string> = {
  'tenants.read': 'See the tenants',
  'tenants.create': 'Create a tenant',
  'tenants.lifecycle': 'Suspend, resume, delete, restore or retry a tenant',
  'tenants.usage': 'See a tenant’s usage',
  'migrations.run': 'Run fleet migrations',
  'queue.read': 'See the provisioning queue',
  'servers.manage': 'See the database servers and pools, and drain a server',
  'audit.read': 'Read the control-plane audit trail',
  'data_source.manage': 'Bring the tenant’s own database',
  'data_audit.read': 'Read the tenant’s data audit trail',
  'webhooks.read': 'See webhooks and their delivery logs',
  'webhooks.manage': 'Create, change, test and replay webhooks',
  'api_keys.manage': 'Manage API keys',
};

/** Who is signed in, what their role in the tenant grants (as GET /auth/me lists it) and what the console lets them do. */
export function AccessPage() {
  const me = useMe();
  return (
    <Stack>
      <Title order={1} size="h2">
        What you may do
      </Title>
      <Text>
        {me.name} ({me.email}), signed in as {roleLabel(me)}.
      </Text>
      {me.tenant && (
        <Section title={`Your role in ${me.tenant.name}: ${me.tenant.role}`}>
          {me.tenant.permissions.length === 0 ? (
            <Text>It grants no permission.</Text>
          ) : (
            <Table.ScrollContainer minWidth={560}>
              <Table aria-label="Permissions of your role">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Permission</Table.Th>
                    <Table.Th>What it allows</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {me.tenant.permissions.map((permission) => (
                    <Table.Tr key={permission.name}>
                      <Table.Td>
                        <Code>{permission.name}</Code>
                      </Table.Td>
                      <Table.Td>{permission.description}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Section>
      )}
      <Section title="In this console">
        <Table.ScrollContainer minWidth={560}>
          <Table aria-label="What the console lets you do">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Action</Table.Th>
                <Table.Th>Allowed</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {ACTIONS.map((action) => (
                <Table.Tr key={action}>
                  <Table.Td>{ACTION_LABELS[action]}</Table.Td>
                  <Table.Td>{allowance(denial(me, action))}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Section>
    </Stack>
  );
}

function allowance(deniedReason: string | undefined): string {
  return deniedReason === undefined ? 'Yes' : `No: ${deniedReason}`;
}
