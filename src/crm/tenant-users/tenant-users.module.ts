import { Module } from '@nestjs/common';
import { AuditModule } from '../../control-plane/audit/audit.module';
import { TenantRolesModule } from '../../control-plane/tenant-roles/tenant-roles.module';
import { MembershipsModule } from '../../control-plane/memberships/memberships.module';
import { InvitationsModule } from '../../control-plane/invitations/invitations.module';
import { TenantInvitationsController } from './tenant-invitations.controller';
import { TenantRolesController } from './tenant-roles.controller';
import { TenantUsersController } from './tenant-users.controller';
import { TenantUsersService } from './tenant-users.service';

/** /api/users, /api/invitations and /api/roles: a tenant admin manages the tenant's users and custom roles. */
@Module({
  imports: [AuditModule, MembershipsModule, TenantRolesModule, InvitationsModule],
  controllers: [TenantUsersController, TenantInvitationsController, TenantRolesController],
  providers: [TenantUsersService],
})
export class TenantUsersModule {}
