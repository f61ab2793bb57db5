import { DynamicModule, Module } from '@nestjs/common';
import { TenantModuleDeclaration } from './tenant-module-declaration';
import { TENANT_MODULE_REGISTRY } from './tenant-module-registry';

/**
 * `imports: [TenantModuleRegistration.forFeature(NOTES_MODULE)]` in a domain module registers its
 * declaration. Like `TypeOrmModule.forFeature`, it registers when the module's decorator runs, so
 * the catalogs are complete once the application module has been imported: before Nest builds
 * anything, and also in preview mode (the offline OpenAPI document), which instantiates no provider.
 */
@Module({})
export class TenantModuleRegistration {
  static forFeature(declaration: TenantModuleDeclaration): DynamicModule {
    TENANT_MODULE_REGISTRY.register(declaration);
    return { module: TenantModuleRegistration };
  }
}
