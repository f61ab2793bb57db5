/** A comparison of a counter's value after the change with a number. */
export interface CounterTest {
  op: '>' | '>=' | '<' | '<=' | '=';
  value: number;
}

/**
 * A field that follows a counter: it takes the value of the first case whose test holds for the
 * counter's new value (in our representation; value maps apply); when none holds it keeps its value.
 */
export interface FollowingField {
  field: string;
  cases: Array<{ when: CounterTest; value: unknown }>;
}

/**
 * Adds `delta` to the numeric `field`, only while the result stays at or above `floor` and the
 * record does not read as `unless` (e.g. a status that takes no changes), and sets the
 * `following` fields from the new value, all in one statement: no reader or concurrent change
 * can see the counter and the fields that follow it disagree.
 */
export interface CounterChange {
  field: string;
  delta: number;
  floor: number;
  following?: FollowingField[];
  unless?: { field: string; value: unknown };
}

/** The statement's pieces, already resolved for one table: quoted identifiers, values in the source's representation. */
export interface CounterStatementParts {
  table: string;
  keyColumn: string;
  key: unknown;
  counterColumn: string;
  delta: number;
  floor: number;
  following: Array<{ column: string; cases: Array<{ when: CounterTest; value: unknown }> }>;
  /** Writes the condition the record must not meet, binding its values through the same `bind`. */
  unless?: () => string;
}

/**
 * The single conditional UPDATE for a counter change. `bind` is called in the order placeholders
 * appear (MySQL's `?` are positional). The following fields are assigned before the counter and
 * test `counter + delta`: MySQL evaluates assignments left to right (a later one would see the new
 * counter), PostgreSQL against the old row, so this order reads the same on both. A record whose
 * `unless` field is NULL is not excluded (NOT over NULL would be NULL, excluding it).
 */
export function counterChangeStatement(parts: CounterStatementParts, bind: (value: unknown) => string): string {
  const counter = parts.counterColumn;
  const assignments = parts.following
    .filter((follower) => follower.cases.length > 0)
    .map((follower) => {
      const cases = follower.cases.map(
        ({ when, value }) => `WHEN ${counter} + ${bind(parts.delta)} ${when.op} ${bind(when.value)} THEN ${bind(value)}`,
      );
      return `${follower.column} = CASE ${cases.join(' ')} ELSE ${follower.column} END`;
    });
  assignments.push(`${counter} = ${counter} + ${bind(parts.delta)}`);
  const where = [`${parts.keyColumn} = ${bind(parts.key)}`, `${counter} + ${bind(parts.delta)} >= ${bind(parts.floor)}`];
  if (parts.unless) where.push(`NOT COALESCE(${parts.unless()}, FALSE)`);
  return `UPDATE ${parts.table} SET ${assignments.join(', ')} WHERE ${where.join(' AND ')}`;
}
