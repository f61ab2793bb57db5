import { escapeIdentifier } from 'pg';
import { CatalogSession, readTenantTableLayout } from '../tenancy/tenant-tables';

export interface RetentionRules {
  /** Rows older than this many days go. */
  days: number;
  /** Tables whose rows go once older than the retention, by this timestamp column (e.g. an audit trail). */
  agedTables: Record<string, string>;
  /** The column marking a soft-deleted row: such rows go once deleted longer ago than the retention. */
  deletedAtColumn: string;
}

/**
 * Purges the bound tenant's expired rows, in the caller's transaction: rows of `agedTables` older
 * than the retention, and rows soft-deleted longer ago than it. A soft-deleted row that a live row
 * still refers to through a foreign key that forbids its deletion stays (a deal keeps its deleted
 * contact) until that row goes too; keys that cascade or set null take their rows along as usual.
 * Tables are purged children first, so a deleted child never holds up its deleted parent.
 */
export async function purgeExpiredRows(runner: CatalogSession, rules: RetentionRules): Promise<Record<string, number>> {
  const layout = await readTenantTableLayout(runner);
  const purged: Record<string, number> = {};
  const cutoff = `now() - make_interval(days => ${Math.trunc(rules.days)})`;
  for (const table of [...layout.tables].reverse()) {
    const name = escapeIdentifier(table.name);
    const conditions: string[] = [];
    const aged = rules.agedTables[table.name];
    if (aged && table.columns.includes(aged)) conditions.push(`t.${escapeIdentifier(aged)} < ${cutoff}`);
    if (table.columns.includes(rules.deletedAtColumn)) {
      const blockers = layout.foreignKeys
        .filter((key) => key.parent === table.name && key.blocksDelete)
        .map((key) => {
          const joins = key.childColumns.map((column, i) => `c.${escapeIdentifier(column)} = t.${escapeIdentifier(key.parentColumns[i])}`);
          return `NOT EXISTS (SELECT 1 FROM ${escapeIdentifier(key.child)} c WHERE ${joins.join(' AND ')})`;
        });
      conditions.push([`t.${escapeIdentifier(rules.deletedAtColumn)} < ${cutoff}`, ...blockers].join(' AND '));
    }
    if (conditions.length === 0) continue;
    const [, count] = (await runner.query(
      `DELETE FROM ${name} t WHERE t.tenant_id = current_setting('app.tenant_id')::uuid AND ((${conditions.join(') OR (')}))`,
    )) as [unknown, number];
    if (count > 0) purged[table.name] = count;
  }
  return purged;
}
