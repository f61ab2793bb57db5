import { Body, Controller, Delete, Get, Param, Patch, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { TenantModuleDto, UpdateTenantSettingsDto } from './dto/tenant-module.dto';
import { TenantModulesService } from './tenant-modules.service';
import { OutsideTenantStorage } from '../../platform/access/outside-tenant-storage.decorator';

@OutsideTenantStorage()
@ApiTags('api: tenant')
@Controller('api/tenant')
export class TenantModulesController {
  constructor(private readonly modules: TenantModulesService) {}

  @Get('modules')
  @TenantPermission('tenant.read')
  @ApiOperation({ summary: 'Every module: enabled or not, in the plan or not, and the settings it still needs' })
  @ApiOkResponse({ type: [TenantModuleDto] })
  list(): Promise<TenantModuleDto[]> {
    return this.modules.list();
  }

  @Put('modules/:module')
  @TenantPermission('tenant.manage')
  @ApiOperation({ summary: 'Enable a module of the plan (400 lists the settings it still needs)' })
  @ApiOkResponse({ type: [TenantModuleDto] })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Settings the module needs are missing; `details` names them' })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such module' })
  enable(@Param('module') module: string): Promise<TenantModuleDto[]> {
    return this.modules.enable(module);
  }

  @Delete('modules/:module')
  @TenantPermission('tenant.manage')
  @ApiOperation({ summary: 'Disable a module: its routes answer 403 for this tenant (its data stays)' })
  @ApiOkResponse({ type: [TenantModuleDto] })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such module' })
  disable(@Param('module') module: string): Promise<TenantModuleDto[]> {
    return this.modules.disable(module);
  }

  @Get('settings')
  @TenantPermission('tenant.read')
  @ApiOperation({ summary: 'The tenant’s settings (company, address, currency, time zone, locale)' })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: { type: 'string' } } })
  settings(): Promise<Record<string, string>> {
    return this.modules.settings();
  }

  @Patch('settings')
  @TenantPermission('tenant.manage')
  @ApiOperation({ summary: 'Change tenant settings; what is sent replaces what is there' })
  @ApiOkResponse({ schema: { type: 'object', additionalProperties: { type: 'string' } } })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  updateSettings(@Body() dto: UpdateTenantSettingsDto): Promise<Record<string, string>> {
    return this.modules.updateSettings(dto);
  }
}
