import { ruleProblems, violations } from './field-rules';

describe('per-tenant field rules', () => {
  const rules = {
    price_selling_minor: { min: 100_000, max: 10_000_000 },
    sku: { required: true, minLength: 4 },
    status: { oneOf: ['available', 'sold'] },
  };

  it('checks a new record completely and a change only in what it sends', () => {
    expect(violations(rules, { sku: 'VH', price_selling_minor: 50, status: 'reserved' }, true)).toEqual([
      { field: 'price_selling_minor', problems: ['must be at least 100000 for this tenant'] },
      { field: 'sku', problems: ['must be at least 4 characters for this tenant'] },
      { field: 'status', problems: ['must be one of available, sold for this tenant'] },
    ]);
    expect(violations(rules, { price_selling_minor: 200_000 }, true)).toEqual([{ field: 'sku', problems: ['is required by this tenant'] }]);
    expect(violations(rules, { price_selling_minor: 200_000 }, false)).toEqual([]);
    expect(violations(rules, { sku: '' }, false)).toEqual([{ field: 'sku', problems: ['is required by this tenant'] }]);
  });

  it('says which rules do not fit their field', () => {
    expect(ruleProblems({ min: 1, maxLength: 3 }, { accepts: ['text'], required: false })).toEqual(['min and max are for numeric fields']);
    expect(ruleProblems({ min: 5, max: 1 }, { accepts: ['integer', 'decimal'], required: false })).toEqual(['min is greater than max']);
    expect(ruleProblems({ pattern: '.*' } as never, { accepts: ['text'], required: false })).toEqual([
      'pattern is not a rule (known: required, min, max, minLength, maxLength, oneOf)',
    ]);
  });

  it('refuses a oneOf value the field can never hold: outside its fixed values, or of another kind', () => {
    const status = { accepts: ['text' as const], required: false, enum: ['available', 'reserved', 'sold', 'archived'] as const };
    expect(ruleProblems({ oneOf: ['available', 'discontinued'] }, status)).toEqual([
      'oneOf has values the field can never hold (discontinued): each must be one of available, reserved, sold, archived',
    ]);
    expect(ruleProblems({ oneOf: ['available', 'sold'] }, status)).toEqual([]);
    expect(ruleProblems({ oneOf: [1, 2.5, '3'] }, { accepts: ['integer'], required: false })).toEqual([
      'oneOf has values the field can never hold (2.5, 3): each must be a whole number',
    ]);
    expect(ruleProblems({ oneOf: [100, 250.5] }, { accepts: ['integer', 'decimal'], required: false })).toEqual([]);
    expect(ruleProblems({ oneOf: ['Berlin', 7] }, { accepts: ['text'], required: false })).toEqual([
      'oneOf has values the field can never hold (7): each must be text',
    ]);
  });
});
