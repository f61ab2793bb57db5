import { Module } from '@nestjs/common';
import { AccessChangesModule } from './access-changes.module';
import { AlertsModule } from './alerts/alerts.module';
import { AuditModule } from './audit/audit.module';
import { ControlPlaneTransactionsModule } from './transactions/control-plane-transactions.module';
import { DataSourcesModule } from './data-sources/data-sources.module';
import { DatabaseServersModule } from './database-servers/database-servers.module';
import { DefaultPlacementBootstrap } from './default-placement.bootstrap';
import { PlacementModule } from './placement/placement.module';
import { AccountTokensModule } from './account-tokens/account-tokens.module';
import { InvitationsModule } from './invitations/invitations.module';
import { FleetMigrationsModule } from './fleet-migrations/fleet-migrations.module';
import { MembershipsModule } from './memberships/memberships.module';
import { PlansModule } from './plans/plans.module';
import { PlatformAdminBootstrap } from './platform-admin.bootstrap';
import { ProvisioningModule } from './provisioning/provisioning.module';
import { SessionsModule } from './sessions/sessions.module';
import { TenantPoolsModule } from './tenant-pools/tenant-pools.module';
import { TenantMovesModule } from './tenant-moves/tenant-moves.module';
import { TenantsModule } from './tenants/tenants.module';
import { UsersModule } from './users/users.module';
import { DomainEventsModule } from './domain-events/domain-events.module';
import { WebhooksModule } from './webhooks/webhooks.module';
import { SourceSyncModule } from './source-sync/source-sync.module';
import { TenantArchivesModule } from './tenant-archives/tenant-archives.module';

/** Who the tenants are, where their data lives, who may log in, and what happened. */
@Module({
  imports: [
    ControlPlaneTransactionsModule,
    DomainEventsModule,
    AccessChangesModule,
    AlertsModule,
    PlacementModule,
    AuditModule,
    UsersModule,
    MembershipsModule,
    TenantsModule,
    TenantPoolsModule,
    DatabaseServersModule,
    SessionsModule,
    PlansModule,
    ProvisioningModule,
    TenantMovesModule,
    FleetMigrationsModule,
    DataSourcesModule,
    SourceSyncModule,
    InvitationsModule,
    AccountTokensModule,
    WebhooksModule,
    TenantArchivesModule,
  ],
  providers: [PlatformAdminBootstrap, DefaultPlacementBootstrap],
  exports: [
    ControlPlaneTransactionsModule,
    AuditModule,
    UsersModule,
    MembershipsModule,
    TenantsModule,
    TenantPoolsModule,
    DatabaseServersModule,
    SessionsModule,
    PlansModule,
    FleetMigrationsModule,
    ProvisioningModule,
    TenantMovesModule,
    InvitationsModule,
    AccountTokensModule,
    TenantArchivesModule,
  ],
})
export class ControlPlaneModule {}
