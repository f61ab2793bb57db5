import { Placement, TenantStatus } from '../schema/tenant.entity';

export { PLACEMENTS, TENANT_STATUSES } from '../schema/tenant.entity';
export type { Placement, TenantStatus };

/** A tenant as its own users may see it: no hosting details. */
export interface TenantProfile {
  id: string;
  slug: string;
  name: string;
  status: TenantStatus;
  plan: string;
  placement: Placement;
  enabledModules: string[];
  settings: Record<string, string>;
  createdAt: Date;
}
