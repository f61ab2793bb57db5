import { Alert, Center, Container, Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { AppHeader } from './components/AppHeader';
import { canSwitchTenant } from './components/TenantSwitcher';
import { AccessPage } from './pages/AccessPage';
import { ApiKeysPage } from './pages/ApiKeysPage';
import { AuditPage } from './pages/AuditPage';
import { DataAuditPage } from './pages/DataAuditPage';
import { DataSourcePage } from './pages/DataSourcePage';
import { MigrationsPage } from './pages/MigrationsPage';
import { NewTenantPage } from './pages/NewTenantPage';
import { SecondFactorPage } from './pages/SecondFactorPage';
import { QueuePage } from './pages/QueuePage';
import { ServersPage } from './pages/ServersPage';
import { SignInPage } from './pages/SignInPage';
import { TenantPage } from './pages/TenantPage';
import { TenantsPage } from './pages/TenantsPage';
import { WebhooksPage } from './pages/WebhooksPage';
import { tokenScope } from './api/session-tokens';
import { usePath } from './router';
import { type Action, denial, may, scopeOf } from './session/permissions';
import { useMe, useSession } from './session/SessionContext';

/** The sign-in gate, then the page the path names. */
export function App() {
  const { me } = useSession();
  if (me === undefined) {
    return (
      <Center mih="100vh">
        <Loader aria-label="Resuming your session" />
      </Center>
    );
  }
  if (me === null) return <SignInPage />;
  return (
    <>
      <AppHeader />
      {/* A new tenant signed into mounts the page again, so it loads that tenant's data. */}
      <Container size="xl" py="md" component="main" key={me.tenant?.id ?? 'no tenant'}>
        <CurrentPage />
      </Container>
    </>
  );
}

function CurrentPage() {
  const me = useMe();
  const path = usePath();
  const tenantId = /^\/tenants\/([0-9a-f-]{36})$/.exec(path)?.[1];

  // An enrolment-only session reaches nothing else until a second factor is set up.
  if (tokenScope() === 'mfa-enrolment' || path === '/account/second-factor') return <SecondFactorPage />;
  if (path === '/account') return <AccessPage />;
  if (path === '/data-source') return <Allowed action="data_source.manage" page={<DataSourcePage />} />;
  if (path === '/data-audit') return <Allowed action="data_audit.read" page={<DataAuditPage />} />;
  if (path === '/webhooks') return <Allowed action="webhooks.read" page={<WebhooksPage />} />;
  if (path === '/api-keys') return <Allowed action="api_keys.manage" page={<ApiKeysPage />} />;
  // A tenant's admin starts at bringing their database (the page says so when the tenant is not byod).
  if (path === '/' && may(me, 'data_source.manage')) return <DataSourcePage />;
  // Other tenant roles start at what their role lets them do.
  if (path === '/' && scopeOf(me) === 'tenant') return <AccessPage />;
  if (!me.tenant && canSwitchTenant(me))
    return <Alert title="Choose a tenant">You belong to several tenants: choose the one to administer in the Tenant list above.</Alert>;
  if (!may(me, 'tenants.read')) return <Alert title="Nothing to administer here">{denial(me, 'tenants.read')}</Alert>;
  if (path === '/' || path === '/tenants') return <TenantsPage />;
  if (path === '/tenants/new') return <NewTenantPage />;
  if (tenantId) return <TenantPage id={tenantId} />;
  if (path === '/queue') return <Allowed action="queue.read" page={<QueuePage />} />;
  if (path === '/servers') return <Allowed action="servers.manage" page={<ServersPage />} />;
  if (path === '/audit') return <Allowed action="audit.read" page={<AuditPage />} />;
  if (path === '/migrations') return <Allowed action="migrations.run" page={<MigrationsPage />} />;
  return <Alert title="No such page">Nothing lives at /admin{path}.</Alert>;
}

/** A page of a role: shown to those who may, and to others the reason it is not for them. */
function Allowed({ action, page }: { action: Action; page: ReactNode }) {
  const me = useMe();
  return may(me, action) ? page : <Alert title="Not for your role">{denial(me, action)}</Alert>;
}
