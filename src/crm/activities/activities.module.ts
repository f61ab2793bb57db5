import { Module } from '@nestjs/common';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { ActivitiesController } from './activities.controller';
import { ActivitiesService } from './activities.service';
import { ACTIVITIES_MODULE } from './activities.declaration';

@Module({
  imports: [TenantModuleRegistration.forFeature(ACTIVITIES_MODULE)],
  controllers: [ActivitiesController],
  providers: [ActivitiesService],
})
export class ActivitiesModule {}
