import { Module } from '@nestjs/common';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { TenantModulesModule } from '../tenant-modules/tenant-modules.module';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { EVENTS_MODULE } from './events.declaration';

@Module({
  imports: [TenantModuleRegistration.forFeature(EVENTS_MODULE), TenantModulesModule],
  controllers: [EventsController],
  providers: [EventsService],
})
export class EventsModule {}
