import { PLATFORM_EVENT_CATALOG } from '../../control-plane/domain-events/platform-events';
import { CRM_EVENT_CATALOG } from './crm-event-catalog';

describe('the domain event catalogs', () => {
  const declarations = [...CRM_EVENT_CATALOG.values(), ...PLATFORM_EVENT_CATALOG.values()];

  it('name every type `<entity>.<what happened>`, short enough for domain_events.type, at version 1 for now', () => {
    for (const { type, version } of declarations) {
      expect(type).toMatch(/^[a-z][a-z_]*\.[a-z][a-z_]*$/);
      expect(type.length).toBeLessThanOrEqual(64);
      expect(version).toBe(1);
    }
  });

  it('share no type between the tenant data and the platform', () => {
    const platformTypes = [...PLATFORM_EVENT_CATALOG.keys()];
    expect(platformTypes.filter((type) => CRM_EVENT_CATALOG.has(type))).toEqual([]);
  });

  it('give every record lifecycle its events, invoices no deletion and notes no restore', () => {
    for (const entity of ['account', 'contact', 'deal', 'activity', 'event', 'inventory_item']) {
      for (const action of ['created', 'updated', 'deleted', 'restored']) expect(CRM_EVENT_CATALOG.has(`${entity}.${action}`)).toBe(true);
    }
    expect(CRM_EVENT_CATALOG.has('invoice.deleted')).toBe(false);
    expect(CRM_EVENT_CATALOG.has('note.restored')).toBe(false);
    expect(CRM_EVENT_CATALOG.get('account.updated')?.fields).toHaveProperty('changes');
  });
});
