import { eventCatalog } from './event-catalog';

describe('eventCatalog', () => {
  it('finds each declared type by its name', () => {
    const catalog = eventCatalog([
      { type: 'widget.created', version: 1, description: 'A widget was created', fields: {} },
      { type: 'widget.renamed', version: 2, description: 'A widget got a new name', fields: { from: 'old name', to: 'new name' } },
    ]);
    expect(catalog.get('widget.renamed')).toMatchObject({ version: 2, fields: { from: 'old name', to: 'new name' } });
    expect(catalog.get('widget.deleted')).toBeUndefined();
  });

  it('refuses a type declared twice, so no two schemas can claim one name', () => {
    const declaration = { type: 'widget.created', version: 1, description: 'A widget was created', fields: {} };
    expect(() => eventCatalog([declaration, { ...declaration, version: 2 }])).toThrow('Event type widget.created is declared twice');
  });
});
