import { Module } from '@nestjs/common';
import { TenantsModule } from '../../control-plane/tenants/tenants.module';
import { TenantProfileController } from './tenant-profile.controller';

@Module({
  imports: [TenantsModule],
  controllers: [TenantProfileController],
})
export class TenantProfileModule {}
