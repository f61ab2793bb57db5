import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { tenantPermissionCatalog } from '../../platform/access/tenant-permissions';
import { Tenant } from '../schema/tenant.entity';
import { User } from '../schema/user.entity';
import { MemberDto } from './dto/member.dto';
import { TenantMembership } from '../schema/tenant-membership.entity';

/** The tenant a membership is in, as sign-in shows and checks it. */
export interface MembershipTenant {
  id: string;
  slug: string;
  name: string;
  status: Tenant['status'];
}

export interface Membership {
  tenant: MembershipTenant;
  role: string;
}

/** Who belongs to which tenant, with which role: the control plane's answers, read-only. */
@Injectable()
export class MembershipDirectory {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The tenant's members in the order they joined; 404 for a tenant that does not exist. */
  async list(tenantId: string): Promise<MemberDto[]> {
    if (!(await this.dataSource.getRepository(Tenant).exists({ where: { id: tenantId } })))
      throw new NotFoundException(`Tenant ${tenantId} not found`);
    const rows: MemberDto[] = await this.dataSource
      .getRepository(TenantMembership)
      .createQueryBuilder('membership')
      .innerJoin(User, 'user', 'user.id = membership.userId')
      .select([
        'membership.userId AS "userId"',
        'user.email AS email',
        'user.name AS name',
        'membership.role AS role',
        'membership.createdAt AS "createdAt"',
      ])
      .where('membership.tenantId = :tenantId', { tenantId })
      .orderBy('membership.createdAt', 'ASC')
      .getRawMany();
    return rows;
  }

  /** Whether the user already belongs to the tenant, read in the caller's transaction. */
  isMemberWithin(manager: EntityManager, tenantId: string, userId: string): Promise<boolean> {
    return manager.exists(TenantMembership, { where: { tenantId, userId } });
  }

  /** Whether someone with this e-mail already belongs to the tenant, read in the caller's transaction. */
  hasMemberWithEmailWithin(manager: EntityManager, tenantId: string, email: string): Promise<boolean> {
    return manager
      .createQueryBuilder(TenantMembership, 'membership')
      .innerJoin(User, 'user', 'user.id = membership.userId')
      .where('membership.tenantId = :tenantId AND user.email = :email', { tenantId, email })
      .getExists();
  }

  /** The members of `tenantId` among `userIds`, in one query however many ids are asked about. */
  async membersAmong(tenantId: string, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows: Array<{ user_id: string }> = await this.dataSource.query(
      'SELECT user_id FROM tenant_memberships WHERE tenant_id = $1 AND user_id = ANY($2::uuid[])',
      [tenantId, [...new Set(userIds)]],
    );
    return new Set(rows.map((row) => row.user_id));
  }

  async membership(userId: string, tenantId: string): Promise<Membership | null> {
    const row = await this.dataSource.getRepository(TenantMembership).findOne({ where: { userId, tenantId } });
    if (!row) return null;
    const tenant = await this.dataSource.getRepository(Tenant).findOneOrFail({ where: { id: tenantId } });
    return { tenant, role: row.role };
  }

  async membershipsOf(userId: string): Promise<Membership[]> {
    const rows = await this.dataSource.getRepository(TenantMembership).find({ where: { userId }, order: { createdAt: 'ASC' } });
    if (rows.length === 0) return [];
    const tenants = await this.dataSource.getRepository(Tenant).findBy(rows.map((row) => ({ id: row.tenantId })));
    const byId = new Map(tenants.map((tenant) => [tenant.id, tenant]));
    return rows.map((row) => ({ tenant: byId.get(row.tenantId)!, role: row.role }));
  }

  /** The user's role in the tenant and what it permits, while both the membership and the account are active. */
  async activeAccessOf(userId: string, tenantId: string): Promise<{ role: string; permissions: readonly string[] } | null> {
    const rows: Array<{ role: string; permissions: string[] | null }> = await this.dataSource.query(
      `SELECT m.role, r.permissions FROM tenant_memberships m
         JOIN users u ON u.id = m.user_id
         LEFT JOIN tenant_roles r ON r.tenant_id = m.tenant_id AND r.name = m.role
        WHERE m.user_id = $1 AND m.tenant_id = $2 AND u.status = 'active'`,
      [userId, tenantId],
    );
    if (rows.length === 0) return null;
    const { role, permissions } = rows[0];
    return { role, permissions: tenantPermissionCatalog().builtInRoles.get(role) ?? permissions ?? [] };
  }
}
