import { Module } from '@nestjs/common';
import { PlanQuotasModule } from '../../control-plane/plans/plan-quotas.module';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { ByodModule } from '../mapped-sources/byod.module';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module';
import { ContactQuota } from './contact-quota';
import { MappedContactQuota } from './mapped-contact-quota';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';
import { ContactsStores } from './contacts-stores';
import { MappedContactsStore } from './mapped-contacts.store';
import { CONTACTS_MODULE } from './contacts.declaration';

@Module({
  imports: [TenantModuleRegistration.forFeature(CONTACTS_MODULE), CustomFieldsModule, ByodModule, PlanQuotasModule],
  controllers: [ContactsController],
  providers: [ContactsService, ContactQuota, MappedContactQuota, MappedContactsStore, ContactsStores],
  exports: [ContactsStores, MappedContactsStore, ContactQuota],
})
export class ContactsModule {}
