import { EntityDefinitions } from '../../../libs/byod';
import { TenantSettingName } from './tenant-settings';

/** A TypeORM entity class of the tenant schema (migrations/tenant). */
export type TenantEntityClass = new () => object;

/**
 * What a domain module brings to every tenant: the platform builds the tenant DataSource's entity
 * list, the module catalog, the permission catalog and what a byod source may map from these, so
 * it never imports the domain. Registered with `TenantModuleRegistration.forFeature(...)`.
 */
export interface TenantModuleDeclaration {
  /** The module's name in plans, in a tenant's enabled modules and in `@TenantModule(...)`. */
  readonly name: string;
  readonly description: string;
  /** In the module catalog: offered by plans and enabled per tenant. Otherwise the module is always on. */
  readonly toggleable: boolean;
  readonly entities: readonly TenantEntityClass[];
  /** The permissions the module's routes need, by name, with what each lets a role do. */
  readonly permissions: Readonly<Record<string, string>>;
  /** The permissions the built-in `member` role holds in this module. */
  readonly memberPermissions: readonly string[];
  /** Tenant settings that must be filled before the module can be enabled. */
  readonly requiredSettings: readonly TenantSettingName[];
  /**
   * The module's entities a byod tenant may map onto its own tables, and what each field needs of a
   * column; the key field is the customer's primary key, the record's id in our API. No owner
   * (`owner_user_id`) is mappable, so an `ownerUserId` sent to a mapped store is a 409: making it
   * mappable means checking it with `TenantMembers` there too.
   */
  readonly mappable?: EntityDefinitions;
  /**
   * Those of the mappable entities whose API answers and takes `customFields`: their mappings may
   * name extra columns of the customer's table as custom fields.
   */
  readonly mappableCustomFields?: readonly string[];
}

/**
 * A declaration whose member defaults are checked against its own permissions by the compiler.
 * The permission names still have to join `TenantPermissionNames` (see tenant-permissions.ts) to
 * be usable in `@TenantPermission(...)`.
 */
export function declareTenantModule<const Permissions extends Readonly<Record<string, string>>>(
  declaration: Omit<TenantModuleDeclaration, 'permissions' | 'memberPermissions'> & {
    readonly permissions: Permissions;
    readonly memberPermissions: readonly (keyof Permissions & string)[];
  },
): TenantModuleDeclaration {
  return declaration;
}
