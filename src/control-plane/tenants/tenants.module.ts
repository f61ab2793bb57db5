import { Module } from '@nestjs/common';
import { InvitationsModule } from '../invitations/invitations.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { ProvisioningModule } from '../provisioning/provisioning.module';
import { AuditModule } from '../audit/audit.module';
import { DatabaseServersModule } from '../database-servers/database-servers.module';
import { PlacementModule } from '../placement/placement.module';
import { TenantMovesModule } from '../tenant-moves/tenant-moves.module';
import { TenantPoolsModule } from '../tenant-pools/tenant-pools.module';
import { TenantSettingsModule } from '../tenant-settings/tenant-settings.module';
import { UsersModule } from '../users/users.module';
import { TenantCreation } from './tenant-creation.service';
import { TenantDirectoryService } from './tenant-directory.service';
import { TenantLifecycle } from './tenant-lifecycle.service';
import { TenantLookup } from './tenant-lookup.service';
import { TenantPurge } from './tenant-purge.service';
import { TenantUpdates } from './tenant-updates.service';
import { TenantsController } from './tenants.controller';

@Module({
  imports: [
    AuditModule,
    UsersModule,
    DatabaseServersModule,
    PlacementModule,
    TenantPoolsModule,
    ProvisioningModule,
    InvitationsModule,
    MembershipsModule,
    TenantSettingsModule,
    TenantMovesModule,
  ],
  controllers: [TenantsController],
  providers: [TenantCreation, TenantLookup, TenantUpdates, TenantLifecycle, TenantPurge, TenantDirectoryService],
  exports: [TenantCreation, TenantLookup, TenantLifecycle, TenantDirectoryService],
})
export class TenantsModule {}
