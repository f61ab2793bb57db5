import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { SessionsModule } from '../sessions/sessions.module';
import { TenantRolesModule } from '../tenant-roles/tenant-roles.module';
import { MembershipDirectory } from './membership-directory';
import { MembershipsService } from './memberships.service';

/** Memberships of users in tenants: read by sign-in and the tenant binding, written here alone. */
@Module({
  imports: [AuditModule, SessionsModule, TenantRolesModule],
  providers: [MembershipDirectory, MembershipsService],
  exports: [MembershipDirectory, MembershipsService],
})
export class MembershipsModule {}
