import { escapeIdentifier } from 'pg';
import { EntityTarget, ObjectLiteral } from 'typeorm';
import { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { ApplyValueTransformers } from 'typeorm/util/ApplyValueTransformers';
import { TenantEntityManager } from '../../../libs/tenancy/tenant-connection-provider';
import { timeOrderedId } from '../../../libs/ids/time-ordered-id';

/** Column types as a JSON record set declares them; text for every character type (the INSERT casts to the column's). */
function recordSetType(column: ColumnMetadata): string {
  const type = typeof column.type === 'string' ? column.type : 'text';
  return ['varchar', 'character varying', 'char', 'character', 'text'].includes(type) ? 'text' : type;
}

/**
 * Inserts new records of `target` in one statement, their values (by entity property) sent as one
 * JSON array, and returns them as stored (by entity property), in order: what each record was given,
 * and what PostgreSQL decided (defaults, timestamps, tenant_id) read back — as TypeORM's `save`,
 * behind the API's create routes, reloads only what it did not send. Reading back every column costs
 * PostgreSQL and the driver a good part of the statement. Columns no record names keep their
 * defaults (tenant_id: the tenant bound to the transaction; timestamps: now); a column only some
 * records name is NULL in the others. Ids are time-ordered (UUID version 7): a batch's keys land
 * together at the edge of the primary key. TypeORM's own multi-row insert works out each row's
 * generated values and costs several times as much.
 */
export async function insertRecords<Entity extends ObjectLiteral>(
  tx: TenantEntityManager,
  target: EntityTarget<Entity>,
  records: Array<Record<string, unknown>>,
): Promise<Entity[]> {
  const metadata = tx.manager.connection.getMetadata(target);
  const properties = [...new Set(records.flatMap((record) => Object.keys(record)))].filter((property) => property !== 'id');
  const columns = properties.map((property) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.tableName} has no column for ${property}`);
    return column;
  });
  const ids = records.map(() => timeOrderedId());
  const names = ['id', ...columns.map((column) => column.databaseName)].map(escapeIdentifier);
  const types = ['uuid', ...columns.map(recordSetType)];
  // Built with plain loops: these run for every row of every batch.
  const positional = records.map((record, i) => {
    const row: Record<string, unknown> = { c0: ids[i] };
    for (let j = 0; j < properties.length; j += 1) row[`c${j + 1}`] = record[properties[j]] ?? null;
    return row;
  });
  const given = new Set(['id', ...properties]);
  const decided = metadata.columns.filter((column) => !given.has(column.propertyName));
  const returned = ['id', ...decided.map((column) => column.databaseName)].map(escapeIdentifier);
  const stored: Array<Record<string, unknown>> = await tx.manager.query(
    `INSERT INTO ${escapeIdentifier(metadata.tableName)} (${names.join(', ')})
     SELECT ${names.map((_, i) => `r.c${i}`).join(', ')} FROM jsonb_to_recordset($1::jsonb) AS r (${types.map((type, i) => `c${i} ${type}`).join(', ')})
     RETURNING ${returned.join(', ')}`,
    [JSON.stringify(positional)],
  );
  const byId = new Map(stored.map((row) => [row.id as string, row]));
  return ids.map((id, i) => {
    const row = byId.get(id)!;
    const entity: Record<string, unknown> = { id };
    for (const property of properties) entity[property] = records[i][property] ?? null;
    for (const column of decided) {
      const value = row[column.databaseName];
      entity[column.propertyName] = column.transformer ? ApplyValueTransformers.transformFrom(column.transformer, value) : value;
    }
    return entity as Entity;
  });
}
