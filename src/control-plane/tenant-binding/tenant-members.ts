import { Injectable, NotFoundException } from '@nestjs/common';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { MembershipDirectory } from '../memberships/membership-directory';

/** A field of a request that names a user, e.g. `ownerUserId` or `staff[2].userId`; null or absent names nobody. */
export interface UserReference {
  field: string;
  userId: string | null | undefined;
}

/**
 * Checks that the users a request names (owners, staff, …) are users of the current tenant.
 * Memberships live in the control plane, not in the tenant's database, so no foreign key can
 * check them. A user of another tenant is answered like an id that does not exist: 404 naming
 * the field, so nothing about other tenants' users leaks.
 */
@Injectable()
export class TenantMembers {
  constructor(
    private readonly memberships: MembershipDirectory,
    private readonly context: TenantContext,
  ) {}

  /** One control-plane query for all the references of a request; 404 naming each field whose user is not a member. */
  async assertMembers(references: readonly UserReference[]): Promise<void> {
    const named = references.filter((reference): reference is { field: string; userId: string } => typeof reference.userId === 'string');
    if (named.length === 0) return;
    const members = await this.memberships.membersAmong(
      this.context.require().id,
      named.map((reference) => reference.userId),
    );
    const details = named
      .filter((reference) => !members.has(reference.userId))
      .map(({ field }) => ({ field, problems: ['not a user of this tenant'] }));
    if (details.length)
      throw new NotFoundException({ message: `Not users of this tenant: ${details.map((detail) => detail.field).join(', ')}`, details });
  }
}

/** The owner a create or change names, as a reference to check. */
export const ownerReference = (dto: { ownerUserId?: string | null }): UserReference[] => [
  { field: 'ownerUserId', userId: dto.ownerUserId },
];

/** Swagger wording of the 404 a reference to a user outside the tenant gets. */
export const OWNER_NOT_FOUND = 'ownerUserId is not a user of this tenant (`details` names the field)';
