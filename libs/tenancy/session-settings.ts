import { escapeLiteral } from 'pg';

/**
 * PostgreSQL run-time settings (e.g. `{ lock_timeout: '5000ms' }`) that every unit of work on a
 * tenant database runs under. A server reached directly takes them once per connection, in the
 * startup packet (`options=-c name=value`); a transaction pooler such as PgBouncer passes no
 * startup parameters on and hands each transaction a different server connection, so there they
 * are set again in every transaction, for that transaction only (`set_config(name, value, true)`).
 */
export type SessionSettings = Readonly<Record<string, string>>;

const SETTING_NAME = /^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/;

/** Setting names are written into SQL and startup options, so only plain (optionally dotted) names pass. */
export function assertSettingName(name: string): void {
  if (!SETTING_NAME.test(name)) throw new Error(`"${name}" is not a PostgreSQL setting name`);
}

/** The startup packet's `options` for `settings`: `-c name=value` each, spaces and backslashes escaped as libpq does. */
export function startupOptions(settings: SessionSettings): string {
  return Object.entries(settings)
    .map(([name, value]) => {
      assertSettingName(name);
      return `-c ${name}=${value.replace(/([\\ ])/g, '\\$1')}`;
    })
    .join(' ');
}

/**
 * Select-list items that set `settings` for the current transaction only, to follow another
 * item in one SELECT (one round trip); empty when there are none.
 */
export function transactionLocalSettings(settings: SessionSettings): string {
  return Object.entries(settings)
    .map(([name, value]) => {
      assertSettingName(name);
      return `, set_config(${escapeLiteral(name)}, ${escapeLiteral(value)}, true)`;
    })
    .join('');
}
