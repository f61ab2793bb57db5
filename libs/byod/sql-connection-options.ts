import { isIP } from 'node:net';
import { SqlConnectionSettings } from './connection-settings';

/**
 * Where and as whom to connect to a customer database, for pg and mysql2 alike: at `address`, the
 * one that passed the network guard, so a second DNS answer cannot point the connection into our
 * network (DNS rebinding). The host name is kept for TLS, where the certificate is checked against it.
 */
export function pgConnectionOptions(settings: SqlConnectionSettings, address: string) {
  const host = bareHost(settings.host);
  return {
    ...credentialsOf(settings, address),
    options: pgSessionSettings(settings.schema),
    // pg hands `ssl` to tls.connect: the name the certificate must carry (SNI takes no IP address).
    ssl: settings.tls?.enabled
      ? { rejectUnauthorized: settings.tls.rejectUnauthorized, ...(isIP(host) ? {} : { servername: host }) }
      : false,
  };
}

/**
 * Settings every session on a customer's PostgreSQL starts with, whatever its database or role sets: dates written
 * as ISO (the driver reads no other DateStyle: `SQL, DMY` would read every timestamp as null, and a sync's
 * watermark with it), and the configured schema searched first, then the usual path (`"$user", public`), where
 * the customer's own functions and extensions (citext, a trigger's helpers) live.
 */
function pgSessionSettings(schema: string | undefined): string {
  const settings = ['-c DateStyle=ISO,MDY', '-c IntervalStyle=postgres'];
  if (schema) settings.push(`-c search_path=${pgSearchPathItem(schema)},"$user",public`);
  return settings.join(' ');
}

/** A schema name as a search_path item of a connection's options: quoted, its spaces escaped, so nothing in it is read as syntax. */
function pgSearchPathItem(schema: string): string {
  return `"${schema.replaceAll('"', '""').replaceAll(' ', '\\ ')}"`;
}

/** mysql2 checks the certificate chain, not the host name, so connecting by address loses nothing. */
export function mysqlConnectionOptions(settings: SqlConnectionSettings, address: string) {
  return {
    ...credentialsOf(settings, address),
    ssl: settings.tls?.enabled ? { rejectUnauthorized: settings.tls.rejectUnauthorized } : undefined,
  };
}

function credentialsOf(settings: SqlConnectionSettings, address: string) {
  return { host: bareHost(address), port: settings.port, database: settings.database, user: settings.user, password: settings.password };
}

/** An IPv6 address may come in brackets, as in a URL. */
function bareHost(host: string): string {
  return host.replace(/^\[|\]$/g, '');
}
