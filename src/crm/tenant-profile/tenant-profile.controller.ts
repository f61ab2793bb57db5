import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantPermission } from '../../platform/access/access.decorators';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { MemberDto } from '../../control-plane/memberships/dto/member.dto';
import { MembershipDirectory } from '../../control-plane/memberships/membership-directory';
import { TenantSettingsService } from '../../control-plane/tenant-settings/tenant-settings.service';
import { TenantProfileDto } from './dto/tenant-profile.dto';
import { OutsideTenantStorage } from '../../platform/access/outside-tenant-storage.decorator';

/** The signed-in tenant as its own users see it. */
@OutsideTenantStorage()
@ApiTags('api: tenant')
@Controller('api/tenant')
export class TenantProfileController {
  constructor(
    private readonly tenantSettings: TenantSettingsService,
    private readonly memberships: MembershipDirectory,
    private readonly context: TenantContext,
  ) {}

  @Get()
  @TenantPermission('tenant.read')
  @ApiOperation({ summary: 'The current tenant: name, plan, status, modules and settings (no hosting details)' })
  @ApiOkResponse({ type: TenantProfileDto })
  async get(): Promise<TenantProfileDto> {
    return TenantProfileDto.from(await this.tenantSettings.profile(this.context.require().id));
  }

  @Get('members')
  @TenantPermission('users.read')
  @ApiOperation({ summary: 'The users of the current tenant (roles with users.read)' })
  @ApiOkResponse({ type: [MemberDto] })
  members(): Promise<MemberDto[]> {
    return this.memberships.list(this.context.require().id);
  }
}
