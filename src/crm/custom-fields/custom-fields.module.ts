import { Module } from '@nestjs/common';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { CustomFieldsController } from './custom-fields.controller';
import { CustomFieldsService } from './custom-fields.service';
import { CUSTOM_FIELDS_MODULE } from './custom-fields.declaration';

/** Per-tenant custom fields on records, defined by the tenant admin. */
@Module({
  imports: [TenantModuleRegistration.forFeature(CUSTOM_FIELDS_MODULE)],
  controllers: [CustomFieldsController],
  providers: [CustomFieldsService],
  exports: [CustomFieldsService],
})
export class CustomFieldsModule {}
