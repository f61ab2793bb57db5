import { BadRequestException } from '@nestjs/common';
import { TenantModuleDeclaration } from './tenant-module-declaration';
import { TENANT_MODULE_REGISTRY } from './tenant-module-registry';
import { TenantSettingName } from './tenant-settings';

/**
 * The modules a tenant can have (seed 003), as their declarations register them. A module's routes
 * answer 403 for a tenant that has not enabled it; some modules need tenant settings first. Every
 * module's tables are part of the one tenant schema, so enabling one has nothing to create in the
 * tenant's database.
 */
export function catalogModules(): readonly TenantModuleDeclaration[] {
  return TENANT_MODULE_REGISTRY.toggleableModules;
}

export function catalogModuleNames(): string[] {
  return catalogModules().map((module) => module.name);
}

/** The catalog's entry for a name a caller sent. */
export function moduleDefinition(name: string): TenantModuleDeclaration | undefined {
  return TENANT_MODULE_REGISTRY.toggleableModule(name);
}

/** The settings `module` needs that `settings` lacks (empty: it can be enabled). */
export function missingSettings(module: string, settings: Record<string, string | undefined>): TenantSettingName[] {
  return (moduleDefinition(module)?.requiredSettings ?? []).filter((name) => !(Object.hasOwn(settings, name) && settings[name]?.trim()));
}

/** A 400 listing the settings a module still needs, if any. */
export function assertEnableable(module: string, settings: Record<string, string | undefined>): void {
  const missing = missingSettings(module, settings);
  if (missing.length > 0) {
    throw new BadRequestException({
      message: `The ${module} module needs these tenant settings first: ${missing.join(', ')}`,
      details: missing.map((name) => ({ field: `settings.${name}`, problems: [`required by the ${module} module`] })),
    });
  }
}
