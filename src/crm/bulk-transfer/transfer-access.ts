import { ForbiddenException, Injectable } from '@nestjs/common';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { RequestContext } from '../../platform/request-context/request-context';
import { TransferEntity } from './transfer-entities';

/**
 * What a bulk transfer of an entity needs beyond its route's own permission: the entity's module
 * enabled for the tenant and the caller's permission on it, as its own routes would require.
 */
@Injectable()
export class TransferAccess {
  constructor(
    private readonly request: RequestContext,
    private readonly tenants: TenantContext,
  ) {}

  assertMay(entity: TransferEntity, need: 'read' | 'write'): void {
    const tenant = this.tenants.require();
    if (!tenant.enabledModules.includes(entity.module)) {
      throw new ForbiddenException(`The ${entity.module} module is not enabled for tenant "${tenant.slug}"`);
    }
    const permission = need === 'read' ? entity.readPermission : entity.writePermission;
    if (!(this.request.actor?.tenantPermissions ?? []).includes(permission)) {
      throw new ForbiddenException(`The caller's tenant role does not grant the permission ${permission}`);
    }
  }
}
