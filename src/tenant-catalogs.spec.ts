import './app.module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allTenantPermissions, tenantPermissionCatalog } from './platform/access/tenant-permissions';
import { mappableEntities } from './platform/tenant-modules/mappable-entities';
import { catalogModules } from './platform/tenant-modules/module-catalog';
import { TENANT_MODULE_REGISTRY } from './platform/tenant-modules/tenant-module-registry';

/**
 * The catalogs the application's modules declare, in the order clients have always seen them: the
 * order comes from the order app.module.ts imports the domain modules in.
 */
describe('the catalogs built from the application’s module declarations', () => {
  const modules = ['notes', 'accounts', 'contacts', 'deals', 'activities', 'events', 'inventory', 'invoices'];

  it('offer the modules in catalog order, with the settings each needs', () => {
    expect(catalogModules().map(({ name, requiredSettings }) => [name, requiredSettings])).toEqual([
      ['notes', []],
      ['accounts', []],
      ['contacts', []],
      ['deals', ['currency']],
      ['activities', []],
      ['events', ['timezone']],
      ['inventory', ['currency']],
      ['invoices', ['address', 'currency', 'companyName']],
    ]);
  });

  it("list the tenant's own permissions, then the modules', then the administration's", () => {
    expect(allTenantPermissions()).toEqual([
      'tenant.read',
      'tenant.manage',
      ...modules.flatMap((module) => [`${module}.read`, `${module}.write`]),
      'users.read',
      'users.manage',
      'roles.manage',
      'api_keys.manage',
      'audit.read',
      'data_source.manage',
      'webhooks.read',
      'webhooks.manage',
    ]);
  });

  it('give tenant_admin every permission and member the tenant profile and every module', () => {
    const roles = tenantPermissionCatalog().builtInRoles;
    expect([...roles.keys()]).toEqual(['tenant_admin', 'member']);
    expect(roles.get('tenant_admin')).toEqual(allTenantPermissions());
    expect(roles.get('member')).toEqual(['tenant.read', ...modules.flatMap((module) => [`${module}.read`, `${module}.write`])]);
  });

  it('register every entity of the tenant schema on tenant DataSources', () => {
    expect(TENANT_MODULE_REGISTRY.entities.map((entity) => entity.name).sort()).toEqual(
      [
        'Account',
        'Activity',
        'Contact',
        'ContactAccount',
        'CustomFieldDefinition',
        'DataAuditEntry',
        'Deal',
        'DealLineItem',
        'DealStageChange',
        'Event',
        'EventDate',
        'EventStaff',
        'InventoryItem',
        'InventoryMovement',
        'Invoice',
        'InvoiceLine',
        'InvoicePayment',
        'Note',
      ].sort(),
    );
  });

  it('let a byod source map accounts, contacts, deals, activities and stock items', () => {
    expect(Object.keys(mappableEntities()).sort()).toEqual(['account', 'activity', 'contact', 'deal', 'inventory_item']);
  });

  it('are all in the README’s table of mappable fields, with the column types each accepts', () => {
    const rows = readFileSync(join(__dirname, '..', 'README.md'), 'utf8').split('\n');
    const missing = Object.entries(mappableEntities()).flatMap(([entity, fields]) =>
      Object.entries(fields)
        .filter(([field, { accepts }]) => {
          const row = rows.find((line) => line.startsWith(`| \`${entity}\` | \`${field}\` |`));
          return !row?.includes(`| ${accepts.join(', ')} |`);
        })
        .map(([field]) => `${entity}.${field}`),
    );
    expect(missing).toEqual([]);
  });
});
