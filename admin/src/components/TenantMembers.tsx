import { Button, Group, NativeSelect, Table, Text, TextInput } from '@mantine/core';
import { type FormEvent, useCallback, useState } from 'react';
import { inviteMember, listInvitations, listMembers } from '../api/tenants';
import { ApiErrorAlert } from './ApiErrorAlert';
import { textField } from './form-fields';
import { Section } from './Section';
import { StatusBadge } from './StatusBadge';
import { useLoaded } from './useLoaded';

/** The built-in tenant roles; custom roles are named in the tenant's own API (/api/roles). */
const ROLES = ['member', 'tenant_admin'];

/** A tenant's members, its invitations, and inviting someone (they join by accepting the mailed link). */
export function TenantMembers({ tenantId }: { tenantId: string }) {
  const members = useLoaded(useCallback(() => listMembers(tenantId), [tenantId]));
  const invitations = useLoaded(useCallback(() => listInvitations(tenantId), [tenantId]));
  return (
    <Section title="Members">
      <ApiErrorAlert error={members.error} title="The members could not be listed" />
      {members.data && members.data.length === 0 && <Text>No member yet: invited people join on accepting.</Text>}
      {members.data && members.data.length > 0 && (
        <Table aria-label="Members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>E-mail</Table.Th>
              <Table.Th>Role</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {members.data.map((member) => (
              <Table.Tr key={member.userId}>
                <Table.Td>{member.name}</Table.Td>
                <Table.Td>{member.email}</Table.Td>
                <Table.Td>{member.role}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <ApiErrorAlert error={invitations.error} title="The invitations could not be listed" />
      {invitations.data && invitations.data.length > 0 && (
        <Table aria-label="Invitations">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Invited</Table.Th>
              <Table.Th>Role</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Expires</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {invitations.data.map((invitation) => (
              <Table.Tr key={invitation.id}>
                <Table.Td>{invitation.email}</Table.Td>
                <Table.Td>{invitation.role}</Table.Td>
                <Table.Td>
                  <StatusBadge status={invitation.status} />
                </Table.Td>
                <Table.Td>{new Date(invitation.expiresAt).toLocaleString()}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <InviteForm tenantId={tenantId} onInvited={invitations.reload} />
    </Section>
  );
}

function InviteForm({ tenantId, onInvited }: { tenantId: string; onInvited: () => void }) {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setBusy(true);
    setError(undefined);
    try {
      await inviteMember(tenantId, { email: textField(form, 'email'), role: textField(form, 'role') });
      formElement.reset();
      onInvited();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} aria-label="Invite a member">
      <Group align="flex-end" gap="sm">
        <TextInput name="email" type="email" label="Invite by e-mail" required w={260} />
        <NativeSelect name="role" label="Role" data={ROLES} w={160} />
        <Button type="submit" variant="default" loading={busy}>
          Invite
        </Button>
      </Group>
      <ApiErrorAlert error={error} title="Nobody was invited" />
    </form>
  );
}
