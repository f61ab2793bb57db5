import { AuditLogEntry } from './audit/entities/audit-log-entry.entity';
import { TenantDataSource } from './data-sources/entities/tenant-data-source.entity';
import { FleetMigrationRun } from './fleet-migrations/entities/fleet-migration-run.entity';
import { FleetMigrationTarget } from './fleet-migrations/entities/fleet-migration-target.entity';
import { Plan } from './plans/entities/plan.entity';
import { TenantRole } from './tenant-roles/entities/tenant-role.entity';
import { ProvisioningStep } from './provisioning/entities/provisioning-step.entity';
import { DatabaseServer } from './database-servers/entities/database-server.entity';
import { RefreshToken } from './sessions/entities/refresh-token.entity';
import { SessionRevocation } from './sessions/entities/session-revocation.entity';
import { TenantPool } from './tenant-pools/entities/tenant-pool.entity';
import { TenantMembership } from './tenants/entities/tenant-membership.entity';
import { Tenant } from './tenants/entities/tenant.entity';
import { SuperAdminTenant } from './users/entities/super-admin-tenant.entity';
import { User } from './users/entities/user.entity';

export const CONTROL_PLANE_ENTITIES = [Tenant, TenantMembership, User, SuperAdminTenant, DatabaseServer, AuditLogEntry, RefreshToken, TenantPool, Plan, ProvisioningStep, TenantRole, FleetMigrationRun, FleetMigrationTarget, TenantDataSource, SessionRevocation];
