import { Module } from '@nestjs/common';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { CurrentTenantSettingsModule } from '../../control-plane/tenant-settings/current-tenant-settings.module';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { EVENTS_MODULE } from './events.declaration';

@Module({
  imports: [TenantModuleRegistration.forFeature(EVENTS_MODULE), CurrentTenantSettingsModule],
  controllers: [EventsController],
  providers: [EventsService],
})
export class EventsModule {}
