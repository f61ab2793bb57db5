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
    // pg hands `ssl` to tls.connect: the name the certificate must carry (SNI takes no IP address).
    ssl: settings.tls?.enabled
      ? { rejectUnauthorized: settings.tls.rejectUnauthorized, ...(isIP(host) ? {} : { servername: host }) }
      : false,
  };
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
