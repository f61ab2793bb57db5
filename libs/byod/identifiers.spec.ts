import { introspectedIdentifier, quoteIdentifier } from './identifiers';
import { Introspection } from './introspection';

describe('identifiers', () => {
  it('quotes per dialect, doubling embedded quotes', () => {
    expect(quoteIdentifier('postgres', 'a"b')).toBe('"a""b"');
    expect(quoteIdentifier('mysql', 'a`b')).toBe('`a``b`');
    expect(quoteIdentifier('mysql', 'x"; DROP TABLE t; --')).toBe('`x"; DROP TABLE t; --`');
  });

  it('refuses empty names and NUL characters', () => {
    expect(() => quoteIdentifier('postgres', '')).toThrow();
    expect(() => quoteIdentifier('postgres', 'a\u0000b')).toThrow();
  });

  it('quotes only names the introspection found', () => {
    const introspection: Introspection = {
      kind: 'postgres',
      tables: [
        {
          name: 'people',
          columns: [{ name: 'given_name', type: 'text', rawType: 'varchar', nullable: false, hasDefault: false, primaryKey: false }],
        },
      ],
    };
    expect(introspectedIdentifier('postgres', introspection, 'people', 'given_name')).toBe('"given_name"');
    expect(() => introspectedIdentifier('postgres', introspection, 'people', 'given_name"; DROP TABLE people')).toThrow(/not introspected/);
    expect(() => introspectedIdentifier('postgres', introspection, 'vehicles')).toThrow(/not introspected/);
  });
});
