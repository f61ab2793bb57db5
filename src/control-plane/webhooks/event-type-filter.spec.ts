import { anyFilterMatches, EVENT_TYPE_FILTER_PATTERN, filterMatches, filtersAsSql, filtersMatchingNothing } from './event-type-filter';

describe('event type filters', () => {
  it('accepts a wildcard, an entity wildcard and one type, and refuses anything else', () => {
    for (const good of ['*', 'invoice.*', 'invoice.paid', 'deal.stage_changed', 'tenant.provisioned']) {
      expect(EVENT_TYPE_FILTER_PATTERN.test(good)).toBe(true);
    }
    for (const bad of ['', 'invoice', '*.paid', 'Invoice.paid', 'invoice.pa*', 'invoice.paid.again', 'invoice.*x', ' invoice.paid']) {
      expect(EVENT_TYPE_FILTER_PATTERN.test(bad)).toBe(false);
    }
  });

  it('matches an entity wildcard on the entity only, not on a longer entity name with the same start', () => {
    expect(filterMatches('invoice.*', 'invoice.paid')).toBe(true);
    expect(filterMatches('invoice.*', 'invoice_line.created')).toBe(false);
    expect(filterMatches('invoice.paid', 'invoice.voided')).toBe(false);
    expect(filterMatches('*', 'deal.stage_changed')).toBe(true);
  });

  it('matches when any of the filters does', () => {
    expect(anyFilterMatches(['contact.*', 'invoice.paid'], 'invoice.paid')).toBe(true);
    expect(anyFilterMatches(['contact.*'], 'invoice.paid')).toBe(false);
  });

  it('splits filters into exact types and prefixes for SQL, `*` being the empty prefix', () => {
    expect(filtersAsSql(['*', 'invoice.*', 'deal.won'])).toEqual({ exact: ['deal.won'], prefixes: ['', 'invoice.'] });
  });

  it('names the filters that match no known type, an entity wildcard counting when one type of the entity is known', () => {
    const known = ['invoice.paid', 'invoice.created', 'tenant.provisioned'];
    expect(filtersMatchingNothing(['*', 'invoice.*', 'invoice.paid', 'tenant.*'], known)).toEqual([]);
    expect(filtersMatchingNothing(['invoice.exploded', 'invoice_line.*', 'invoice.paid'], known)).toEqual([
      'invoice.exploded',
      'invoice_line.*',
    ]);
  });
});
