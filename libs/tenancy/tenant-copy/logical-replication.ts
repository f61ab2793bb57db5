import { Client, ClientConfig, escapeIdentifier, escapeLiteral } from 'pg';
import { TenantTable } from '../tenant-tables';

/**
 * One tenant's rows streamed from a source database to a target by PostgreSQL's own logical
 * replication: a publication on the source whose tables are filtered to the tenant
 * (`WHERE (tenant_id = '…')`, PostgreSQL 15+), a slot, and a subscription on the target that
 * copies what is there and then applies every later change. Every object is named after the
 * move, so each function finds what an earlier, interrupted run created and carries on.
 *
 * The slot is created on the source beforehand (not by CREATE SUBSCRIPTION), so source and
 * target may be databases of the same server, where CREATE SUBSCRIPTION would wait on itself;
 * for the same reason the subscription is detached from its slot before it is dropped.
 */
export interface ReplicationNames {
  publication: string;
  slot: string;
  subscription: string;
}

/** Names from the move's id: letters, digits and underscores only, within PostgreSQL's 63. */
export function replicationNames(moveId: string): ReplicationNames {
  const name = `tenantry_move_${moveId.replaceAll('-', '')}`;
  return { publication: name, slot: name, subscription: name };
}

/** Whether the server can publish changes (`wal_level = logical`). */
export async function supportsLogicalReplication(client: Client): Promise<boolean> {
  const { rows } = await client.query<{ wal_level: string }>('SHOW wal_level');
  return rows[0].wal_level === 'logical';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** On the source database: the tenant-filtered publication and its slot. */
export async function publishTenant(source: Client, names: ReplicationNames, tables: TenantTable[], tenantId: string): Promise<void> {
  if (!UUID.test(tenantId)) throw new Error(`Not a tenant id: ${tenantId}`);
  const { rowCount } = await source.query('SELECT 1 FROM pg_publication WHERE pubname = $1', [names.publication]);
  if (!rowCount) {
    const filter = `WHERE (tenant_id = ${escapeLiteral(tenantId)}::uuid)`;
    const list = tables.map((table) => `${escapeIdentifier(table.name)} ${filter}`).join(', ');
    await source.query(`CREATE PUBLICATION ${escapeIdentifier(names.publication)} FOR TABLE ${list}`);
  }
  const slot = await source.query('SELECT 1 FROM pg_replication_slots WHERE slot_name = $1', [names.slot]);
  if (!slot.rowCount) await source.query(`SELECT pg_create_logical_replication_slot($1, 'pgoutput')`, [names.slot]);
}

/**
 * On the target database: the subscription, which starts copying at once. `publisher` is how the
 * target server reaches the source. Its apply commits synchronously, so what it applied is flushed
 * and confirmed to the source at once: the move's catch-up waits on that confirmation.
 */
export async function subscribeTenant(
  target: Client,
  names: ReplicationNames,
  publisher: ClientConfig & { database: string },
): Promise<void> {
  const { rowCount } = await target.query('SELECT 1 FROM pg_subscription WHERE subname = $1', [names.subscription]);
  if (rowCount) return;
  const conninfo = [
    `host=${quoteConninfo(String(publisher.host))}`,
    `port=${Number(publisher.port)}`,
    `user=${quoteConninfo(String(publisher.user))}`,
    `password=${quoteConninfo(String(publisher.password))}`,
    `dbname=${quoteConninfo(publisher.database)}`,
  ].join(' ');
  await target.query(
    `CREATE SUBSCRIPTION ${escapeIdentifier(names.subscription)} CONNECTION ${escapeLiteral(conninfo)}
       PUBLICATION ${escapeIdentifier(names.publication)}
       WITH (create_slot = false, slot_name = ${escapeLiteral(names.slot)}, copy_data = true, synchronous_commit = 'on')`,
  );
}

/** Tables of the subscription and how many finished their initial copy (state `r`eady). */
export async function initialCopyProgress(target: Client, names: ReplicationNames): Promise<{ tables: number; ready: number }> {
  const { rows } = await target.query<{ tables: number; ready: number }>(
    `SELECT count(*)::int AS tables, count(*) FILTER (WHERE r.srsubstate = 'r')::int AS ready
       FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid WHERE s.subname = $1`,
    [names.subscription],
  );
  return rows[0];
}

/**
 * The source's current WAL position, and whether the target confirmed having applied it. The insert
 * position, not the written one: on a server with synchronous_commit off, a transaction is visible
 * once committed while its commit record may still wait in the WAL buffers, past the written position,
 * and a catch-up to that position would end before the target has it.
 */
export async function currentLsn(source: Client): Promise<string> {
  return (await source.query<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn')).rows[0].lsn;
}

export async function confirmedUpTo(source: Client, names: ReplicationNames, lsn: string): Promise<boolean> {
  const { rows } = await source.query<{ reached: boolean }>(
    'SELECT confirmed_flush_lsn >= $2::pg_lsn AS reached FROM pg_replication_slots WHERE slot_name = $1',
    [names.slot, lsn],
  );
  return rows[0]?.reached === true;
}

/** Drops subscription, slot and publication, whichever exist: the move no longer streams. */
export async function detachReplication(source: Client, target: Client, names: ReplicationNames): Promise<void> {
  const { rowCount } = await target.query('SELECT 1 FROM pg_subscription WHERE subname = $1', [names.subscription]);
  if (rowCount) {
    const subscription = escapeIdentifier(names.subscription);
    await target.query(`ALTER SUBSCRIPTION ${subscription} DISABLE`);
    await target.query(`ALTER SUBSCRIPTION ${subscription} SET (slot_name = NONE)`);
    await target.query(`DROP SUBSCRIPTION ${subscription}`);
  }
  // The slot's sender would exit by itself shortly after its subscription is disabled (until then the slot is
  // active and cannot go); ending it at once keeps the tenant's write freeze short.
  await source.query('SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE slot_name = $1 AND active', [names.slot]);
  for (let tries = 0; ; tries += 1) {
    const { rows } = await source.query<{ active: boolean }>('SELECT active FROM pg_replication_slots WHERE slot_name = $1', [names.slot]);
    if (rows.length === 0) break;
    if (!rows[0].active) {
      await source.query('SELECT pg_drop_replication_slot($1)', [names.slot]);
      break;
    }
    if (tries >= 500) throw new Error(`replication slot ${names.slot} is still in use`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await source.query(`DROP PUBLICATION IF EXISTS ${escapeIdentifier(names.publication)}`);
}

function quoteConninfo(value: string): string {
  return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}
