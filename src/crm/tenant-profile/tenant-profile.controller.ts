import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantPermission } from '../../platform/access/access.decorators';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { MemberDto } from '../../control-plane/tenants/dto/member.dto';
import { TenantsService } from '../../control-plane/tenants/tenants.service';
import { TenantProfileDto } from './dto/tenant-profile.dto';

/** The signed-in tenant as its own users see it. */
@ApiTags('api: tenant')
@Controller('api/tenant')
export class TenantProfileController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly context: TenantContext,
  ) {}

  @Get()
  @TenantPermission('tenant.read')
  @ApiOperation({ summary: 'The current tenant: name, plan, status, modules and settings (no hosting details)' })
  @ApiOkResponse({ type: TenantProfileDto })
  async get(): Promise<TenantProfileDto> {
    return TenantProfileDto.from(await this.tenants.find(this.context.require().id));
  }

  @Get('members')
  @TenantPermission('users.read')
  @ApiOperation({ summary: 'The users of the current tenant (roles with users.read)' })
  @ApiOkResponse({ type: [MemberDto] })
  members(): Promise<MemberDto[]> {
    return this.tenants.listMembers(this.context.require().id);
  }
}
