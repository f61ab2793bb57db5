import { InvalidListQueryError } from './record-errors';
import { parseSort, sortOptions, splitSort } from './sort-order';

describe('sort order', () => {
  const properties = ['createdAt', 'name'] as const;

  it('reads a leading - as descending', () => {
    expect(parseSort('name', properties)).toEqual({ property: 'name', direction: 'ASC' });
    expect(parseSort('-createdAt', properties)).toEqual({ property: 'createdAt', direction: 'DESC' });
    expect(splitSort('-anything')).toEqual({ property: 'anything', direction: 'DESC' });
  });

  it('refuses a property outside the allowed list, naming sort', () => {
    expect(() => parseSort('-password', properties)).toThrow(InvalidListQueryError);
    expect(() => parseSort('--name', properties)).toThrow('sort must be one of createdAt, name, -createdAt, -name');
  });

  it('lists the accepted values, ascending ones first', () => {
    expect(sortOptions(properties)).toEqual(['createdAt', 'name', '-createdAt', '-name']);
  });
});
