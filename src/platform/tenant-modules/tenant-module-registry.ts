import { EntityDefinitions } from '../../../libs/byod';
import { PLATFORM_TENANT_PERMISSION_NAMES } from '../access/platform-tenant-permissions';
import { TenantEntityClass, TenantModuleDeclaration } from './tenant-module-declaration';

/**
 * The declarations of the tenant modules the application is built with, in the order they were
 * registered: that order is the order of the module catalog, of the modules' permissions and of
 * the mappable entities in every answer. A clash between declarations (a module, permission or
 * mappable entity declared twice) stops the start-up, naming both sides.
 */
export class TenantModuleRegistry {
  private readonly declarations: TenantModuleDeclaration[] = [];
  private readonly permissionOwners = new Map<string, string>();
  private readonly mappableOwners = new Map<string, string>();
  private changes = 0;

  constructor(private readonly platformPermissions: readonly string[] = []) {}

  /** Registers a declaration; the same declaration registered again (from a second module) changes nothing. */
  register(declaration: TenantModuleDeclaration): void {
    if (this.declarations.includes(declaration)) return;
    this.assertFits(declaration);
    this.declarations.push(declaration);
    for (const permission of Object.keys(declaration.permissions)) this.permissionOwners.set(permission, declaration.name);
    for (const entity of Object.keys(declaration.mappable ?? {})) this.mappableOwners.set(entity, declaration.name);
    this.changes++;
  }

  /** Grows with each registration, so catalogs built from the registry know when to build again. */
  get revision(): number {
    return this.changes;
  }

  get modules(): readonly TenantModuleDeclaration[] {
    return this.declarations;
  }

  /** The modules of the catalog: offered by plans, enabled per tenant. */
  get toggleableModules(): readonly TenantModuleDeclaration[] {
    return this.declarations.filter((declaration) => declaration.toggleable);
  }

  /** The catalog's module of that name, if there is one. */
  toggleableModule(name: string): TenantModuleDeclaration | undefined {
    return this.declarations.find((declaration) => declaration.toggleable && declaration.name === name);
  }

  get entities(): readonly TenantEntityClass[] {
    return this.declarations.flatMap((declaration) => declaration.entities);
  }

  get permissions(): readonly [name: string, description: string][] {
    return this.declarations.flatMap((declaration) => Object.entries(declaration.permissions));
  }

  get memberPermissions(): readonly string[] {
    return this.declarations.flatMap((declaration) => declaration.memberPermissions);
  }

  get mappableEntities(): EntityDefinitions {
    return Object.fromEntries(this.declarations.flatMap((declaration) => Object.entries(declaration.mappable ?? {})));
  }

  get mappableCustomFields(): readonly string[] {
    return this.declarations.flatMap((declaration) => declaration.mappableCustomFields ?? []);
  }

  private assertFits(declaration: TenantModuleDeclaration): void {
    const module = `Tenant module "${declaration.name}"`;
    if (this.declarations.some((registered) => registered.name === declaration.name)) throw new Error(`${module} is declared twice`);
    for (const permission of Object.keys(declaration.permissions)) {
      if (this.platformPermissions.includes(permission))
        throw new Error(`${module} declares the permission "${permission}", which is the platform's`);
      const owner = this.permissionOwners.get(permission);
      if (owner) throw new Error(`${module} declares the permission "${permission}", already declared by module "${owner}"`);
    }
    for (const permission of declaration.memberPermissions) {
      if (!Object.hasOwn(declaration.permissions, permission))
        throw new Error(`${module} gives members "${permission}", which it does not declare`);
    }
    for (const entity of Object.keys(declaration.mappable ?? {})) {
      const owner = this.mappableOwners.get(entity);
      if (owner) throw new Error(`${module} declares the mappable entity "${entity}", already declared by module "${owner}"`);
    }
    if (!declaration.toggleable && declaration.requiredSettings.length > 0) {
      throw new Error(`${module} is always on, so it cannot wait for settings (${declaration.requiredSettings.join(', ')})`);
    }
  }
}

/** The application's registry, filled by `TenantModuleRegistration.forFeature` while the modules are defined. */
export const TENANT_MODULE_REGISTRY = new TenantModuleRegistry(PLATFORM_TENANT_PERMISSION_NAMES);
