import { Module } from '@nestjs/common';
import { MembershipsModule } from '../../control-plane/memberships/memberships.module';
import { TenantSettingsModule } from '../../control-plane/tenant-settings/tenant-settings.module';
import { TenantProfileController } from './tenant-profile.controller';

@Module({
  imports: [TenantSettingsModule, MembershipsModule],
  controllers: [TenantProfileController],
})
export class TenantProfileModule {}
