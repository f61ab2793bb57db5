import { Alert, List, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import {
  type DatabaseServer,
  drainDatabaseServer,
  isDraining,
  placementOverview,
  pooledTenantsOn,
  type ServerDrain,
  type TenantPool,
} from '../api/placement';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ConfirmAction } from '../components/ConfirmAction';
import { Fill } from '../components/Fill';
import { Section } from '../components/Section';
import { StatusBadge } from '../components/StatusBadge';
import { TONES } from '../components/tones';
import { usePolling } from '../components/usePolling';
import { Link } from '../router';

/** The database servers and the pooled databases on them, each with its fill; a server drained from here. */
export function ServersPage() {
  const { data, error, reload } = usePolling(placementOverview, isDraining, 3000);
  const [drain, setDrain] = useState<{ server: string; result: ServerDrain }>();

  const drainServer = async (server: DatabaseServer) => {
    setDrain({ server: server.name, result: await drainDatabaseServer(server.id) });
    await reload();
  };

  return (
    <Stack>
      <Title order={1} size="h2">
        Database servers and pools
      </Title>
      <ApiErrorAlert error={error} title="The servers could not be read" />
      {drain && <DrainResult server={drain.server} result={drain.result} />}
      {data && (
        <>
          <Section title="Servers">
            {data.servers.length === 0 ? (
              <Text>No database server is registered.</Text>
            ) : (
              <Servers servers={data.servers} pools={data.pools} onDrain={drainServer} />
            )}
          </Section>
          <Section title="Pools">
            {data.pools.length === 0 ? <Text>No pooled tenant database exists.</Text> : <Pools pools={data.pools} servers={data.servers} />}
          </Section>
        </>
      )}
    </Stack>
  );
}

interface ServersProps {
  servers: DatabaseServer[];
  pools: TenantPool[];
  onDrain: (server: DatabaseServer) => Promise<void>;
}

function Servers({ servers, pools, onDrain }: ServersProps) {
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table aria-label="Database servers">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Address</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Dedicated databases</Table.Th>
            <Table.Th>Pools</Table.Th>
            <Table.Th>Connection budget</Table.Th>
            <Table.Th>Actions</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {servers.map((server) => {
            const pooled = pooledTenantsOn(server, pools);
            return (
              <Table.Tr key={server.id}>
                <Table.Td>{server.name}</Table.Td>
                <Table.Td>
                  {server.host}:{server.port}
                  {server.behindTransactionPooler && <Text size="xs">behind a transaction pooler</Text>}
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={server.status} />
                </Table.Td>
                <Table.Td>
                  <Fill used={server.tenantDatabases} capacity={server.maxDatabases} label={`Dedicated databases on ${server.name}`} />
                </Table.Td>
                <Table.Td>
                  {server.tenantPools}
                  {server.tenantPools > 0 && <Text size="xs">{pooled} tenant(s) in them</Text>}
                </Table.Td>
                <Table.Td>{server.connectionBudget ?? 'none declared'}</Table.Td>
                <Table.Td>
                  <ConfirmAction
                    label={server.status === 'draining' ? 'Drain again' : 'Drain'}
                    size="xs"
                    color={TONES.warning}
                    consequence={drainConsequence(server, pooled)}
                    onConfirm={() => onDrain(server)}
                  />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** What draining does, said before it is done (POST /control/database-servers/{id}/drain). */
function drainConsequence(server: DatabaseServer, pooled: number): string {
  const tenants = `${server.tenantDatabases} dedicated tenant database(s) and ${pooled} tenant(s) of its pools`;
  const moves =
    `Each active tenant starts moving to another server (its writes pause briefly while it switches over); a tenant ` +
    `no other server has room for stays, and is listed. Once all have moved and their old copies are removed, ${server.name} can be unregistered.`;
  if (server.status === 'draining')
    return `${server.name} is already draining and still holds ${tenants}. Moves start again for those left behind. ${moves}`;
  return `${server.name} will be marked draining: no new tenant, pool or move is placed on it. It holds ${tenants}. ${moves}`;
}

function DrainResult({ server, result }: { server: string; result: ServerDrain }) {
  return (
    <Alert title={`${server} is draining`} role="status" color={result.refused.length > 0 ? TONES.warning : TONES.busy}>
      <Text size="sm">{result.moves.length} move(s) started or under way.</Text>
      {result.refused.length > 0 && (
        <>
          <Text size="sm">{result.refused.length} tenant(s) could not be moved:</Text>
          <List size="sm">
            {result.refused.map((refusal) => (
              <List.Item key={refusal.tenantId}>
                <Link to={`/tenants/${refusal.tenantId}`}>tenant {refusal.tenantId}</Link>: {refusal.reason}
              </List.Item>
            ))}
          </List>
        </>
      )}
    </Alert>
  );
}

function Pools({ pools, servers }: { pools: TenantPool[]; servers: DatabaseServer[] }) {
  const serverName = (id: string) => servers.find((server) => server.id === id)?.name ?? id;
  return (
    <Table.ScrollContainer minWidth={620}>
      <Table aria-label="Tenant pools">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Server</Table.Th>
            <Table.Th>Database</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>Tenants</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pools.map((pool) => (
            <Table.Tr key={pool.id}>
              <Table.Td>{pool.name}</Table.Td>
              <Table.Td>{serverName(pool.databaseServerId)}</Table.Td>
              <Table.Td>{pool.databaseName}</Table.Td>
              <Table.Td>
                <StatusBadge status={pool.status} />
              </Table.Td>
              <Table.Td>
                <Fill used={pool.tenants} capacity={pool.maxTenants} label={`Tenants in pool ${pool.name}`} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
