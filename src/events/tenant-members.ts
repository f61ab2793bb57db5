import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { TenantContext } from '../../libs/tenancy/tenant-context';
import { TenantMembership } from '../control-plane/tenants/entities/tenant-membership.entity';

/**
 * Who the tenant's users are: memberships live in the control plane, not in the tenant's
 * database, so no foreign key can check a staff member and this lookup does.
 */
@Injectable()
export class TenantMembers {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly context: TenantContext,
  ) {}

  /** 404 naming `<field>[i].userId` for each entry whose user is not a user of the current tenant. */
  async assertMembers(field: string, entries: ReadonlyArray<{ userId: string }>): Promise<void> {
    if (entries.length === 0) return;
    const members = await this.dataSource.getRepository(TenantMembership).find({
      select: { userId: true },
      where: { tenantId: this.context.require().id, userId: In(entries.map((entry) => entry.userId)) },
    });
    const known = new Set(members.map((member) => member.userId));
    const details = entries.flatMap((entry, index) => (known.has(entry.userId) ? [] : [{ field: `${field}[${index}].userId`, problems: ['not a user of this tenant'] }]));
    if (details.length) throw new NotFoundException({ message: `Not users of this tenant: ${details.map((detail) => detail.field).join(', ')}`, details });
  }
}
