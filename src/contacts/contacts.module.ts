import { Module } from '@nestjs/common';
import { CustomFieldsModule } from '../custom-fields/custom-fields.module';
import { ContactQuota } from './contact-quota';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';

@Module({
  imports: [CustomFieldsModule],
  controllers: [ContactsController],
  providers: [ContactsService, ContactQuota],
})
export class ContactsModule {}
