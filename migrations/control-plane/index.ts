import { InitialControlPlane1763870000000 } from './1763870000000-InitialControlPlane';
import { TenantPlacements1763880000000 } from './1763880000000-TenantPlacements';
import { TenantLifecycle1763890000000 } from './1763890000000-TenantLifecycle';
import { TenantRoles1763900000000 } from './1763900000000-TenantRoles';
import { FleetMigrations1763910000000 } from './1763910000000-FleetMigrations';
import { ModuleEnablement1763930000000 } from './1763930000000-ModuleEnablement';
import { TenantDataSources1763940000000 } from './1763940000000-TenantDataSources';
import { AccountOwnership1763945000000 } from './1763945000000-AccountOwnership';
import { SuperAdminPlanChanges1763950000000 } from './1763950000000-SuperAdminPlanChanges';
import { SessionRevocations1763960000000 } from './1763960000000-SessionRevocations';
import { ApiKeys1763970000000 } from './1763970000000-ApiKeys';
import { UserTotp1763980000000 } from './1763980000000-UserTotp';
import { ProvisioningAttemptFence1763990000000 } from './1763990000000-ProvisioningAttemptFence';
import { ControlPlaneIdentity1764000000000 } from './1764000000000-ControlPlaneIdentity';
import { FleetRunLiveness1764010000000 } from './1764010000000-FleetRunLiveness';
import { IdempotencyKeys1764030000000 } from './1764030000000-IdempotencyKeys';
import { ControlPlaneChangeFeed1764040000000 } from './1764040000000-ControlPlaneChangeFeed';
import { ConnectionBudgets1764050000000 } from './1764050000000-ConnectionBudgets';
import { DataSourceRevisions1764060000000 } from './1764060000000-DataSourceRevisions';
import { StagedDataSources1764065000000 } from './1764065000000-StagedDataSources';
import { RateLimits1764073000000 } from './1764073000000-RateLimits';
import { DropLoginThrottle1764073100000 } from './1764073100000-DropLoginThrottle';
import { PlatformAlerts1764090000000 } from './1764090000000-PlatformAlerts';
import { TenantUsage1764093000000 } from './1764093000000-TenantUsage';
import { DomainEvents1764095000000 } from './1764095000000-DomainEvents';
import { PlanQuotasAndChanges1764100000000 } from './1764100000000-PlanQuotasAndChanges';
import { TransactionPoolers1764110000000 } from './1764110000000-TransactionPoolers';
import { Webhooks1764130000000 } from './1764130000000-Webhooks';
import { SourceSync1764140000000 } from './1764140000000-SourceSync';
import { BulkImports1764150000000 } from './1764150000000-BulkImports';
import { TenantMoves1764160000000 } from './1764160000000-TenantMoves';
import { TenantArchives1764170000000 } from './1764170000000-TenantArchives';
import { WebhookReplayIndex1764190000000 } from './1764190000000-WebhookReplayIndex';
import { WebhookDisabledAt1764200000000 } from './1764200000000-WebhookDisabledAt';
import { WebhookDeliveryLeases1764210000000 } from './1764210000000-WebhookDeliveryLeases';

/** Listed explicitly (not globbed) so the same list works from ts sources, tests and dist. */
export const CONTROL_PLANE_MIGRATIONS = [
  InitialControlPlane1763870000000,
  TenantPlacements1763880000000,
  TenantLifecycle1763890000000,
  TenantRoles1763900000000,
  FleetMigrations1763910000000,
  ModuleEnablement1763930000000,
  TenantDataSources1763940000000,
  AccountOwnership1763945000000,
  SuperAdminPlanChanges1763950000000,
  SessionRevocations1763960000000,
  ApiKeys1763970000000,
  UserTotp1763980000000,
  ProvisioningAttemptFence1763990000000,
  ControlPlaneIdentity1764000000000,
  FleetRunLiveness1764010000000,
  IdempotencyKeys1764030000000,
  ControlPlaneChangeFeed1764040000000,
  ConnectionBudgets1764050000000,
  DataSourceRevisions1764060000000,
  StagedDataSources1764065000000,
  RateLimits1764073000000,
  DropLoginThrottle1764073100000,
  PlatformAlerts1764090000000,
  TenantUsage1764093000000,
  DomainEvents1764095000000,
  PlanQuotasAndChanges1764100000000,
  TransactionPoolers1764110000000,
  Webhooks1764130000000,
  SourceSync1764140000000,
  BulkImports1764150000000,
  TenantMoves1764160000000,
  TenantArchives1764170000000,
  WebhookReplayIndex1764190000000,
  WebhookDisabledAt1764200000000,
  WebhookDeliveryLeases1764210000000,
];
