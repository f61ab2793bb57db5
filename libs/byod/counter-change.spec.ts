import { counterChangeStatement, CounterStatementParts } from './counter-change';

/** Placeholders numbered in the order they are bound, with the values they bind. */
function built(parts: CounterStatementParts): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const sql = counterChangeStatement(parts, (value) => {
    params.push(value);
    return `$${params.length}`;
  });
  return { sql, params };
}

const SALE: CounterStatementParts = {
  table: '`parts`',
  keyColumn: '`code`',
  key: 'P-1',
  counterColumn: '`qty`',
  delta: -2,
  floor: 0,
  following: [],
};

describe('counterChangeStatement', () => {
  it('changes the counter only while the result stays at or above the floor', () => {
    expect(built(SALE)).toEqual({
      sql: 'UPDATE `parts` SET `qty` = `qty` + $1 WHERE `code` = $2 AND `qty` + $3 >= $4',
      params: [-2, 'P-1', -2, 0],
    });
  });

  it('assigns following fields first, from the counter plus the delta, so MySQL (left to right) and PostgreSQL read the same', () => {
    const { sql, params } = built({
      ...SALE,
      following: [
        {
          column: '`state`',
          cases: [
            { when: { op: '>', value: 0 }, value: 'ON_SHELF' },
            { when: { op: '<=', value: 0 }, value: 'GONE' },
          ],
        },
      ],
    });
    expect(sql).toBe(
      'UPDATE `parts` SET `state` = CASE WHEN `qty` + $1 > $2 THEN $3 WHEN `qty` + $4 <= $5 THEN $6 ELSE `state` END, ' +
        '`qty` = `qty` + $7 WHERE `code` = $8 AND `qty` + $9 >= $10',
    );
    expect(params).toEqual([-2, 0, 'ON_SHELF', -2, 0, 'GONE', -2, 'P-1', -2, 0]);
  });

  it('leaves out a following field without cases (it could only keep its value)', () => {
    expect(built({ ...SALE, following: [{ column: '`state`', cases: [] }] }).sql).toBe(built(SALE).sql);
  });

  it('excludes records meeting `unless`, binding its values where they appear, and keeps records whose field is NULL', () => {
    const params: unknown[] = [];
    const bind = (value: unknown) => {
      params.push(value);
      return `$${params.length}`;
    };
    const sql = counterChangeStatement({ ...SALE, unless: () => `\`state\` = ${bind('RETIRED')}` }, bind);
    expect(sql).toBe('UPDATE `parts` SET `qty` = `qty` + $1 WHERE `code` = $2 AND `qty` + $3 >= $4 AND NOT COALESCE(`state` = $5, FALSE)');
    expect(params).toEqual([-2, 'P-1', -2, 0, 'RETIRED']);
  });
});
