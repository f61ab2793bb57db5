import { OutboundMail } from '../../platform/mail/entities/outbound-mail.entity';
import { AccountToken } from './account-token.entity';
import { Invitation } from './invitation.entity';
import { ApiKey } from './api-key.entity';
import { AuditLogEntry } from './audit-log-entry.entity';
import { TenantDataSource } from './tenant-data-source.entity';
import { TenantStagedDataSource } from './tenant-staged-data-source.entity';
import { FleetMigrationRun } from './fleet-migration-run.entity';
import { FleetMigrationTarget } from './fleet-migration-target.entity';
import { Plan } from './plan.entity';
import { PlatformAlert } from './platform-alert.entity';
import { TenantRole } from './tenant-role.entity';
import { ProvisioningStep } from './provisioning-step.entity';
import { DatabaseServer } from './database-server.entity';
import { RefreshToken } from './refresh-token.entity';
import { SessionRevocation } from './session-revocation.entity';
import { TenantPool } from './tenant-pool.entity';
import { TenantMembership } from './tenant-membership.entity';
import { Tenant } from './tenant.entity';
import { TenantMove } from './tenant-move.entity';
import { TenantUsageDay } from './tenant-usage-day.entity';
import { SuperAdminTenant } from './super-admin-tenant.entity';
import { User } from './user.entity';

export const CONTROL_PLANE_ENTITIES = [
  Tenant,
  TenantMove,
  TenantMembership,
  User,
  SuperAdminTenant,
  DatabaseServer,
  AuditLogEntry,
  RefreshToken,
  TenantPool,
  Plan,
  ProvisioningStep,
  TenantRole,
  FleetMigrationRun,
  FleetMigrationTarget,
  TenantDataSource,
  TenantStagedDataSource,
  Invitation,
  AccountToken,
  OutboundMail,
  PlatformAlert,
  ApiKey,
  SessionRevocation,
  TenantUsageDay,
];
