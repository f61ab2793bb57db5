import { sqlRefusalOf } from './source-refusal';

function driverError(message: string, properties: Record<string, unknown>): Error {
  return Object.assign(new Error(message), properties);
}

describe('sqlRefusalOf', () => {
  it('reads MySQL/MariaDB data refusals with the column they name', () => {
    expect(sqlRefusalOf(driverError("Data truncated for column 'item_state' at row 1", { errno: 1265, sqlState: '01000' }))).toEqual({
      kind: 'invalid',
      column: 'item_state',
    });
    expect(sqlRefusalOf(driverError("Data too long for column 'label' at row 1", { errno: 1406, sqlState: '22001' }))).toEqual({
      kind: 'invalid',
      column: 'label',
    });
    expect(
      sqlRefusalOf(
        driverError("Incorrect integer value: 'x' for column `shop`.`items`.`qty` at row 1", { errno: 1366, sqlState: '22007' }),
      ),
    ).toEqual({ kind: 'invalid', column: 'qty' });
    expect(sqlRefusalOf(driverError("Out of range value for column 'price' at row 1", { errno: 1264, sqlState: '22003' }))).toEqual({
      kind: 'invalid',
      column: 'price',
    });
    expect(sqlRefusalOf(driverError("Column 'label' cannot be null", { errno: 1048, sqlState: '23000' }))).toEqual({
      kind: 'invalid',
      column: 'label',
    });
    expect(sqlRefusalOf(driverError("Duplicate entry 'A' for key 'items.label'", { errno: 1062, sqlState: '23000' }))).toEqual({
      kind: 'conflict',
      column: 'label',
    });
    expect(
      sqlRefusalOf(
        driverError(
          'Cannot add or update a child row: a foreign key constraint fails (`shop`.`items`, CONSTRAINT `fk` FOREIGN KEY (`owner_no`) REFERENCES `owners` (`no`))',
          { errno: 1452, sqlState: '23000' },
        ),
      ),
    ).toEqual({ kind: 'conflict', column: 'owner_no' });
  });

  it('reads PostgreSQL classes 22 and 23, duplicates and references as conflicts', () => {
    expect(sqlRefusalOf(driverError('value too long', { code: '22001' }))).toEqual({ kind: 'invalid', column: undefined });
    expect(sqlRefusalOf(driverError('null value in column', { code: '23502', column: 'label' }))).toEqual({
      kind: 'invalid',
      column: 'label',
    });
    expect(sqlRefusalOf(driverError('duplicate key', { code: '23505', detail: 'Key (sku)=(A-1) already exists.' }))).toEqual({
      kind: 'conflict',
      column: 'sku',
    });
  });

  it('leaves the source’s own failures to the breaker', () => {
    expect(sqlRefusalOf(driverError('connect ECONNREFUSED', { errno: -111, code: 'ECONNREFUSED' }))).toBeUndefined();
    expect(sqlRefusalOf(driverError("Access denied for user 'x'", { errno: 1045, sqlState: '28000' }))).toBeUndefined();
    expect(sqlRefusalOf(driverError('Query inactivity timeout', { code: 'PROTOCOL_SEQUENCE_TIMEOUT' }))).toBeUndefined();
    expect(sqlRefusalOf(driverError('canceling statement due to statement timeout', { code: '57014' }))).toBeUndefined();
  });
});
