import { parentsFirst } from './tenant-tables';

describe('parentsFirst', () => {
  const table = (name: string) => ({ name });

  it('puts every table after the tables it refers to, and a table referring to itself is no obstacle', () => {
    const keys = [
      { child: 'deals', parent: 'contacts' },
      { child: 'deals', parent: 'accounts' },
      { child: 'contact_accounts', parent: 'contacts' },
      { child: 'contact_accounts', parent: 'accounts' },
      { child: 'notes', parent: 'notes' },
    ];
    const order = parentsFirst(['deals', 'notes', 'contact_accounts', 'contacts', 'accounts'].map(table), keys).map((t) => t.name);
    expect(order).toEqual(['accounts', 'contacts', 'notes', 'contact_accounts', 'deals']);
  });

  it('refuses foreign keys that form a cycle, naming the tables', () => {
    expect(() =>
      parentsFirst(
        [table('a'), table('b')],
        [
          { child: 'a', parent: 'b' },
          { child: 'b', parent: 'a' },
        ],
      ),
    ).toThrow('Foreign keys form a cycle among a, b');
  });
});
