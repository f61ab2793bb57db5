import { Badge, Button, Group, Text } from '@mantine/core';
import { tokenScope } from '../api/session-tokens';
import { Link, usePath } from '../router';
import { may, roleLabel } from '../session/permissions';
import { useMe, useSession } from '../session/SessionContext';
import classes from './AppHeader.module.css';
import { canSwitchTenant, TenantSwitcher } from './TenantSwitcher';
import { TONES } from './tones';

/** Who is signed in and as what, the pages they may use, and signing out. */
export function AppHeader() {
  const me = useMe();
  const { signOut } = useSession();
  const path = usePath();
  const home = may(me, 'tenants.read') ? '/tenants' : may(me, 'data_source.manage') ? '/data-source' : '/account';
  const pages = [
    { to: '/tenants', label: 'Tenants', shown: may(me, 'tenants.read') },
    { to: '/queue', label: 'Provisioning queue', shown: may(me, 'queue.read') },
    { to: '/migrations', label: 'Fleet migrations', shown: may(me, 'migrations.run') },
    { to: '/servers', label: 'Servers and pools', shown: may(me, 'servers.manage') },
    { to: '/audit', label: 'Audit', shown: may(me, 'audit.read') },
    { to: '/data-source', label: 'Own database', shown: may(me, 'data_source.manage') },
    { to: '/data-audit', label: 'Data audit', shown: may(me, 'data_audit.read') },
    { to: '/webhooks', label: 'Webhooks', shown: may(me, 'webhooks.read') },
    { to: '/api-keys', label: 'API keys', shown: may(me, 'api_keys.manage') },
    { to: '/account/second-factor', label: 'Set up a second factor', shown: !me.mfaEnabled },
  ].filter((page) => page.shown && (tokenScope() !== 'mfa-enrolment' || page.to === '/account/second-factor'));

  return (
    <header className={classes.header}>
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Group gap="lg" wrap="wrap">
          <Text fw={700} size="lg">
            Tenantry admin
          </Text>
          <nav aria-label="Console pages">
            <Group gap="md">
              {pages.map((page) => (
                <Link
                  key={page.to}
                  to={page.to}
                  className={classes.navLink}
                  aria-current={path.startsWith(page.to) || (path === '/' && page.to === home) ? 'page' : undefined}
                >
                  {page.label}
                </Link>
              ))}
            </Group>
          </nav>
        </Group>
        <Group gap="sm" wrap="wrap" align="flex-end">
          {canSwitchTenant(me) && <TenantSwitcher />}
          <Link
            to="/account"
            className={classes.navLink}
            data-testid="signed-in-as"
            title="What you may do"
            aria-current={path === '/account' ? 'page' : undefined}
          >
            {me.name} ({me.email})
          </Link>
          <Badge variant="filled" color={TONES.busy} data-testid="signed-in-role">
            {roleLabel(me)}
          </Badge>
          <Button variant="default" size="xs" onClick={() => void signOut()}>
            Sign out
          </Button>
        </Group>
      </Group>
    </header>
  );
}
