import { Module } from '@nestjs/common';
import { AccessChangesModule } from '../access-changes.module';
import { AuditModule } from '../audit/audit.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { TenantRolesModule } from '../tenant-roles/tenant-roles.module';
import { UsersModule } from '../users/users.module';
import { InvitationsService } from './invitations.service';
import { PlatformInvitationsController } from './platform-invitations.controller';
import { TenantInvitationsAdminController } from './tenant-invitations-admin.controller';

/** Invitations into tenants and onto the platform, and their acceptance. */
@Module({
  imports: [AccessChangesModule, AuditModule, MembershipsModule, TenantRolesModule, UsersModule],
  controllers: [PlatformInvitationsController, TenantInvitationsAdminController],
  providers: [InvitationsService],
  exports: [InvitationsService],
})
export class InvitationsModule {}
