import { Module } from '@nestjs/common';
import { InvitationsModule } from '../invitations/invitations.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { TenantRolesModule } from '../tenant-roles/tenant-roles.module';
import { AuditModule } from '../audit/audit.module';
import { DatabaseServersModule } from '../database-servers/database-servers.module';
import { PlacementModule } from '../placement/placement.module';
import { TenantPoolsModule } from '../tenant-pools/tenant-pools.module';
import { UsersModule } from '../users/users.module';
import { TenantDirectoryService } from './tenant-directory.service';
import { TenantMemberLookup } from './tenant-member-lookup';
import { TenantsController } from './tenants.controller';
import { TenantsService } from './tenants.service';

@Module({
  imports: [AuditModule, UsersModule, DatabaseServersModule, PlacementModule, TenantPoolsModule, ProvisioningModule, TenantRolesModule, InvitationsModule],
  controllers: [TenantsController],
  providers: [TenantsService, TenantDirectoryService, TenantMemberLookup],
  exports: [TenantsService, TenantDirectoryService, TenantMemberLookup],
})
export class TenantsModule {}
