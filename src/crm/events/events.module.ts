import { Module } from '@nestjs/common';
import { TenantModulesModule } from '../tenant-modules/tenant-modules.module';
import { EventsController } from './events.controller';
import { EventsService } from './events.service';

@Module({
  imports: [TenantModulesModule],
  controllers: [EventsController],
  providers: [EventsService],
})
export class EventsModule {}
