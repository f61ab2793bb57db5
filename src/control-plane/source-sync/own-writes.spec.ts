import { DetectedChange, MappedRecord, rowFingerprint } from '../../../libs/byod';
import { OwnWrites } from './own-writes';

const change = (kind: DetectedChange['kind'], record: MappedRecord, changedFields: string[] = []): DetectedChange => ({
  key: String(record.id),
  kind,
  record,
  fingerprint: rowFingerprint(record),
  changedFields,
});

describe('OwnWrites', () => {
  it('leaves out a create whose every value is the one the API wrote, the customer-kept updated_at aside', () => {
    const own = OwnWrites.of(
      [{ key: '7', action: 'data.create', changes: { id: '7', firstName: 'Ada', customFields: { b: 2, a: 1 } } }],
      ['updated_at'],
    );
    expect(own.remainder(change('created', { id: '7', first_name: 'Ada', custom_fields: { a: 1, b: 2 }, updated_at: 'x' }))).toBeNull();
    const edited = change('created', { id: '7', first_name: 'Adeline', custom_fields: { a: 1, b: 2 } });
    expect(own.remainder(edited)).toBe(edited);
  });

  it('keeps the changed fields of an update the API did not write, with the value the API wrote last', () => {
    const own = OwnWrites.of(
      [
        { key: '1', action: 'data.update', changes: { email: { to: 'old@x' } } },
        { key: '1', action: 'data.update', changes: { email: { to: 'new@x' }, stockOnHand: { by: -1, to: 4 } } },
      ],
      [],
    );
    const found = change('updated', { id: '1', email: 'new@x', stock_on_hand: 4, phone: null }, ['email', 'phone', 'stock_on_hand']);
    expect(own.remainder(found)?.changedFields).toEqual(['phone']);
    expect(own.remainder(change('updated', { id: '1', email: 'new@x', stock_on_hand: 4 }, ['email', 'stock_on_hand']))).toBeNull();
  });

  it('announces a change to a record the API did not write, and knows the records it deleted', () => {
    const own = OwnWrites.of([{ key: '9', action: 'data.delete', changes: {} }], []);
    const other = change('updated', { id: '2', email: 'a@x' }, ['email']);
    expect(own.remainder(other)).toBe(other);
    expect(own.deleted('9')).toBe(true);
    expect(own.deleted('2')).toBe(false);
  });
});
