import { Module } from '@nestjs/common';
import { TenantModuleRegistration } from '../../platform/tenant-modules/tenant-module-registration.module';
import { ActivitiesController } from './activities.controller';
import { ActivitiesService } from './activities.service';
import { ActivitiesStores } from './activities-stores';
import { MappedActivitiesStore } from './mapped-activities.store';
import { ByodModule } from '../mapped-sources/byod.module';
import { ACTIVITIES_MODULE } from './activities.declaration';

@Module({
  imports: [TenantModuleRegistration.forFeature(ACTIVITIES_MODULE), ByodModule],
  controllers: [ActivitiesController],
  providers: [ActivitiesService, MappedActivitiesStore, ActivitiesStores],
})
export class ActivitiesModule {}
