import { Injectable } from '@nestjs/common';
import { AccessChange } from './change-feed/access-change';

type TenantListener = (tenantId: string) => void;
type MembershipListener = (userId: string, tenantId: string) => void;
type UserListener = (userId: string) => void;
type ResetListener = () => void;
type PlanListener = (plan: string) => void;

/**
 * Tells this process's caches that who-may-reach-what, or what a tenant may do (its plan, its
 * measured usage), changed. Code that commits a change calls it right after the commit, so this
 * process sees the change at once; every process (this one too, a moment later) also hears of it
 * from the change feed (AccessChangeFeed), which the control-plane triggers notify from the
 * changing transaction.
 */
@Injectable()
export class AccessChanges {
  private readonly tenantListeners: TenantListener[] = [];
  private readonly membershipListeners: MembershipListener[] = [];
  private readonly userListeners: UserListener[] = [];
  private readonly rolesListeners: TenantListener[] = [];
  private readonly resetListeners: ResetListener[] = [];
  private readonly planListeners: PlanListener[] = [];
  private readonly measurementListeners: TenantListener[] = [];

  onTenantChanged(listener: TenantListener): void {
    this.tenantListeners.push(listener);
  }

  onMembershipChanged(listener: MembershipListener): void {
    this.membershipListeners.push(listener);
  }

  onUserChanged(listener: UserListener): void {
    this.userListeners.push(listener);
  }

  onRolesChanged(listener: TenantListener): void {
    this.rolesListeners.push(listener);
  }

  onPlanChanged(listener: PlanListener): void {
    this.planListeners.push(listener);
  }

  onUsageMeasured(listener: TenantListener): void {
    this.measurementListeners.push(listener);
  }

  /** Listeners that forget everything they cached. */
  onAnythingMayHaveChanged(listener: ResetListener): void {
    this.resetListeners.push(listener);
  }

  tenantChanged(tenantId: string): void {
    for (const listener of this.tenantListeners) listener(tenantId);
  }

  membershipChanged(userId: string, tenantId: string): void {
    for (const listener of this.membershipListeners) listener(userId, tenantId);
  }

  /** A custom role's permissions changed or it was removed: every membership of the tenant may be affected. */
  rolesChanged(tenantId: string): void {
    for (const listener of this.rolesListeners) listener(tenantId);
  }

  userChanged(userId: string): void {
    for (const listener of this.userListeners) listener(userId);
  }

  /** A plan was created, edited or deleted: every tenant on it may have new quotas and rates. */
  planChanged(plan: string): void {
    for (const listener of this.planListeners) listener(plan);
  }

  /** A tenant's rows and storage were measured anew. */
  usageMeasured(tenantId: string): void {
    for (const listener of this.measurementListeners) listener(tenantId);
  }

  /** Changes may have been missed (the change feed was down): nothing cached can be trusted. */
  anythingMayHaveChanged(): void {
    for (const listener of this.resetListeners) listener();
  }

  /** A change announced by the change feed. */
  apply(change: AccessChange): void {
    switch (change.kind) {
      case 'tenant':
        return this.tenantChanged(change.tenantId);
      case 'membership':
        return this.membershipChanged(change.userId, change.tenantId);
      case 'user':
        return this.userChanged(change.userId);
      case 'roles':
        return this.rolesChanged(change.tenantId);
      case 'plan':
        return this.planChanged(change.plan);
      case 'measurement':
        return this.usageMeasured(change.tenantId);
    }
  }
}
