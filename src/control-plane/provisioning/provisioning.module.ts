import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { DatabaseServersModule } from '../database-servers/database-servers.module';
import { MembershipsModule } from '../memberships/memberships.module';
import { PlacementModule } from '../placement/placement.module';
import { PlansModule } from '../plans/plans.module';
import { TenantSettingsModule } from '../tenant-settings/tenant-settings.module';
import { TenantPoolsModule } from '../tenant-pools/tenant-pools.module';
import { OrphanReconciler } from './orphan-reconciler';
import { ProvisioningController } from './provisioning.controller';
import { ProvisioningQueue } from './provisioning-queue';
import { ProvisioningWorker } from './provisioning.worker';
import { TenantProvisioner } from './tenant-provisioner';

/** Tenant provisioning through a durable queue: the job, its worker, watching it, and cleaning up after crashes. */
@Module({
  imports: [AuditModule, MembershipsModule, DatabaseServersModule, PlacementModule, PlansModule, TenantPoolsModule, TenantSettingsModule],
  controllers: [ProvisioningController],
  providers: [ProvisioningQueue, TenantProvisioner, ProvisioningWorker, OrphanReconciler],
  exports: [ProvisioningQueue],
})
export class ProvisioningModule {}
