import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantRoles } from '../auth/access/access.decorators';
import { TenantContext } from '../../libs/tenancy/tenant-context';
import { MemberDto } from '../control-plane/tenants/dto/member.dto';
import { TenantDto } from '../control-plane/tenants/dto/tenant.dto';
import { TenantsService } from '../control-plane/tenants/tenants.service';

/** The signed-in tenant as its own users see it. */
@ApiTags('api: tenant')
@Controller('api/tenant')
export class TenantProfileController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly context: TenantContext,
  ) {}

  @Get()
  @TenantRoles('tenant_admin', 'member')
  @ApiOperation({ summary: 'The current tenant' })
  @ApiOkResponse({ type: TenantDto })
  get(): Promise<TenantDto> {
    return this.tenants.get(this.context.require().id);
  }

  @Get('members')
  @TenantRoles('tenant_admin')
  @ApiOperation({ summary: 'The users of the current tenant (tenant admins only)' })
  @ApiOkResponse({ type: [MemberDto] })
  members(): Promise<MemberDto[]> {
    return this.tenants.listMembers(this.context.require().id);
  }
}
