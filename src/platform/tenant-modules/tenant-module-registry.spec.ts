import { TenantModuleDeclaration } from './tenant-module-declaration';
import { TenantModuleRegistry } from './tenant-module-registry';

class Note {}
class Invoice {}
class InvoiceLine {}

function declaration(name: string, overrides: Partial<TenantModuleDeclaration> = {}): TenantModuleDeclaration {
  return {
    name,
    description: `The ${name}`,
    toggleable: true,
    entities: [],
    permissions: { [`${name}.read`]: `Read ${name}`, [`${name}.write`]: `Change ${name}` },
    memberPermissions: [`${name}.read`],
    requiredSettings: [],
    ...overrides,
  };
}

describe('TenantModuleRegistry', () => {
  it('keeps the order of registration in every catalog it builds', () => {
    const registry = new TenantModuleRegistry();
    registry.register(declaration('notes', { entities: [Note] }));
    registry.register(declaration('audit', { toggleable: false, permissions: {}, memberPermissions: [] }));
    registry.register(
      declaration('invoices', {
        entities: [Invoice, InvoiceLine],
        requiredSettings: ['currency'],
        mappable: { invoice: { number: { accepts: ['text'], required: true, key: true } } },
      }),
    );

    expect(registry.modules.map((module) => module.name)).toEqual(['notes', 'audit', 'invoices']);
    expect(registry.toggleableModules.map((module) => module.name)).toEqual(['notes', 'invoices']);
    expect(registry.toggleableModule('invoices')?.requiredSettings).toEqual(['currency']);
    expect(registry.toggleableModule('audit')).toBeUndefined();
    expect(registry.toggleableModule('constructor')).toBeUndefined();
    expect(registry.entities).toEqual([Note, Invoice, InvoiceLine]);
    expect(registry.permissions).toEqual([
      ['notes.read', 'Read notes'],
      ['notes.write', 'Change notes'],
      ['invoices.read', 'Read invoices'],
      ['invoices.write', 'Change invoices'],
    ]);
    expect(registry.memberPermissions).toEqual(['notes.read', 'invoices.read']);
    expect(Object.keys(registry.mappableEntities)).toEqual(['invoice']);
  });

  it('takes the same declaration registered by a second module as already there', () => {
    const registry = new TenantModuleRegistry();
    const notes = declaration('notes');
    registry.register(notes);
    const revision = registry.revision;
    registry.register(notes);
    expect(registry.modules).toEqual([notes]);
    expect(registry.revision).toBe(revision);
  });

  it('counts each registration, so catalogs built from it know when to build again', () => {
    const registry = new TenantModuleRegistry();
    const before = registry.revision;
    registry.register(declaration('notes'));
    expect(registry.revision).toBeGreaterThan(before);
  });

  describe('refuses at start-up, naming the clash', () => {
    it('a second module of the same name', () => {
      const registry = new TenantModuleRegistry();
      registry.register(declaration('notes'));
      expect(() => registry.register(declaration('notes', { description: 'Other notes' }))).toThrow(
        'Tenant module "notes" is declared twice',
      );
    });

    it('a permission another module declares', () => {
      const registry = new TenantModuleRegistry();
      registry.register(declaration('notes'));
      expect(() => registry.register(declaration('memos', { permissions: { 'notes.read': 'Read memos' }, memberPermissions: [] }))).toThrow(
        'Tenant module "memos" declares the permission "notes.read", already declared by module "notes"',
      );
      expect(registry.modules.map((module) => module.name)).toEqual(['notes']);
    });

    it("a permission that is the platform's", () => {
      const registry = new TenantModuleRegistry(['tenant.read']);
      expect(() =>
        registry.register(declaration('notes', { permissions: { 'tenant.read': 'Read the tenant' }, memberPermissions: [] })),
      ).toThrow('Tenant module "notes" declares the permission "tenant.read", which is the platform\'s');
    });

    it('a member default the module does not declare', () => {
      const registry = new TenantModuleRegistry();
      expect(() => registry.register(declaration('notes', { memberPermissions: ['notes.delete'] }))).toThrow(
        'Tenant module "notes" gives members "notes.delete", which it does not declare',
      );
    });

    it('a mappable entity another module declares', () => {
      const registry = new TenantModuleRegistry();
      const contact = { id: { accepts: ['text' as const], required: true, key: true } };
      registry.register(declaration('contacts', { mappable: { contact } }));
      expect(() => registry.register(declaration('people', { mappable: { contact } }))).toThrow(
        'Tenant module "people" declares the mappable entity "contact", already declared by module "contacts"',
      );
    });

    it('required settings on a module that is always on', () => {
      const registry = new TenantModuleRegistry();
      expect(() => registry.register(declaration('audit', { toggleable: false, requiredSettings: ['timezone'] }))).toThrow(
        'Tenant module "audit" is always on, so it cannot wait for settings (timezone)',
      );
    });
  });
});
