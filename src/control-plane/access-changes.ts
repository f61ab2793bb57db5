import { Injectable } from '@nestjs/common';

type TenantListener = (tenantId: string) => void;
type MembershipListener = (userId: string, tenantId: string) => void;
type UserListener = (userId: string) => void;

/**
 * Tells this process's caches that who-may-reach-what changed, right after the change
 * committed. Other processes see it when their cache entries expire (TENANT_CACHE_TTL_SECONDS).
 */
@Injectable()
export class AccessChanges {
  private readonly tenantListeners: TenantListener[] = [];
  private readonly membershipListeners: MembershipListener[] = [];
  private readonly userListeners: UserListener[] = [];
  private readonly rolesListeners: TenantListener[] = [];

  onTenantChanged(listener: TenantListener): void {
    this.tenantListeners.push(listener);
  }

  onMembershipChanged(listener: MembershipListener): void {
    this.membershipListeners.push(listener);
  }

  onUserChanged(listener: UserListener): void {
    this.userListeners.push(listener);
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

  onRolesChanged(listener: TenantListener): void {
    this.rolesListeners.push(listener);
  }

  userChanged(userId: string): void {
    for (const listener of this.userListeners) listener(userId);
  }
}
