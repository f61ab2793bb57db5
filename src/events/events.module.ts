import { Module } from '@nestjs/common';
import { TenantModulesModule } from '../tenant-modules/tenant-modules.module';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';
import { TenantMembers } from './tenant-members';

@Module({
  imports: [TenantModulesModule],
  controllers: [EventsController],
  providers: [EventsService, TenantMembers],
})
export class EventsModule {}
