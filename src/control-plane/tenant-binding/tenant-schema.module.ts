import { DynamicModule, Global, Module } from '@nestjs/common';
import { MigrationClass } from '../../../libs/tenancy/tenant-schema-migrator';
import { TenantSchema } from '../../../libs/tenancy/tenant-schema';

/** Provides the TenantSchema (migrations/tenant, unless a test hands another list) everywhere. */
@Global()
@Module({})
export class TenantSchemaModule {
  static forRoot(migrations: MigrationClass[]): DynamicModule {
    return {
      module: TenantSchemaModule,
      providers: [{ provide: TenantSchema, useValue: new TenantSchema(migrations) }],
      exports: [TenantSchema],
    };
  }
}
