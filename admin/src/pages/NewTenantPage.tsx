import { Button, Group, NativeSelect, Stack, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { usePlanOptions } from '../api/plans';
import { createTenant, type NewTenant, PLACEMENTS } from '../api/tenants';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { Link, navigate } from '../router';
import { textField } from '../components/form-fields';

/** Registers a tenant (the API answers 202 at once) and opens its page, which follows the provisioning. */
export function NewTenantPage() {
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const plans = usePlanOptions();

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => textField(form, name);
    setBusy(true);
    setError(undefined);
    try {
      const tenant = await createTenant({
        slug: value('slug'),
        name: value('name'),
        plan: value('plan'),
        placement: value('placement') as NewTenant['placement'],
        admin: { email: value('adminEmail') },
      });
      navigate(`/tenants/${tenant.id}`, { replace: true });
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <Stack maw={560}>
      <Title order={1} size="h2">
        New tenant
      </Title>
      <form onSubmit={(event) => void submit(event)}>
        <Stack>
          <TextInput name="slug" label="Slug" description="Lower-case letters, digits and inner hyphens; also the subdomain" required />
          <TextInput name="name" label="Name" required />
          <NativeSelect name="plan" label="Plan" data={plans} required />
          <NativeSelect
            name="placement"
            label="Placement"
            description="pooled: a shared database with row-level security; dedicated: a database of its own; byod: the customer's own"
            data={[...PLACEMENTS]}
          />
          <TextInput
            name="adminEmail"
            type="email"
            label="Tenant admin's e-mail"
            description="They are mailed an invitation to become the tenant's admin"
            required
          />
          <ApiErrorAlert error={error} title="The tenant was not created" />
          <Group>
            <Button type="submit" loading={busy}>
              Create tenant
            </Button>
            <Link to="/tenants">Cancel</Link>
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
