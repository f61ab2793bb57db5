import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Which of some users belong to a tenant: the control plane's answer for references from tenant data. */
@Injectable()
export class TenantMemberLookup {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The members of `tenantId` among `userIds`, in one query however many ids are asked about. */
  async membersAmong(tenantId: string, userIds: readonly string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const rows: Array<{ user_id: string }> = await this.dataSource.query(
      'SELECT user_id FROM tenant_memberships WHERE tenant_id = $1 AND user_id = ANY($2::uuid[])',
      [tenantId, [...new Set(userIds)]],
    );
    return new Set(rows.map((row) => row.user_id));
  }
}
