import { checkedValues, mysqlTypeMembers } from './column-values';

describe('mysqlTypeMembers', () => {
  it('reads the members of an ENUM or SET column type, doubled quotes and commas in members included', () => {
    expect(mysqlTypeMembers("enum('in_stock','it''s','a,b')")).toEqual({ from: 'enum', members: ['in_stock', "it's", 'a,b'] });
    expect(mysqlTypeMembers("set('red','blue')")).toEqual({ from: 'set', members: ['red', 'blue'] });
  });

  it('gives nothing for other types, and for a member whose backslash escaping it cannot be sure of', () => {
    expect(mysqlTypeMembers('varchar(16)')).toBeUndefined();
    expect(mysqlTypeMembers("enum('a\\\\b')")).toBeUndefined();
  });
});

describe('checkedValues', () => {
  it.each([
    ["`condition_code` in ('new','used','demo')", 'condition_code', ['new', 'used', 'demo']],
    ["(`status` in (_utf8mb4'a',_utf8mb4'b'))", 'status', ['a', 'b']],
    ["`c` = 'k'", 'c', ['k']],
    ["(state = ANY (ARRAY['open'::text, 'it''s'::text]))", 'state', ['open', "it's"]],
    ["((b)::text = ANY ((ARRAY['x'::character varying, 'y'::character varying])::text[]))", 'b', ['x', 'y']],
    ["(\"Odd Col\" = ANY (ARRAY['u'::text, 'v'::text]))", 'Odd Col', ['u', 'v']],
    ["(c = 'q'::text)", 'c', ['q']],
  ])('reads %s as a list of allowed values', (expression, column, members) => {
    expect(checkedValues(expression)).toEqual({ column, members });
  });

  it.each([
    "((e = ANY (ARRAY['k'::text, 'l'::text])) OR (e IS NULL))",
    "`c` not in ('a')",
    "lower(c) in ('a')",
    '(qty = ANY (ARRAY[1, 2]))',
    '(qty > 0)',
    "`c` in ('it\\'s')",
    "(a = 'x') AND (b = 'y')",
    '(a = b)',
  ])('does not guess at %s', (expression) => {
    expect(checkedValues(expression)).toBeUndefined();
  });
});
