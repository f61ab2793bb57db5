import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantContext } from '../../libs/tenancy/tenant-context';
import { TenantPermission } from '../auth/access/access.decorators';
import { ErrorResponseDto } from '../common/errors/error-response.dto';
import { CreateTenantRoleDto, TenantPermissionDto, TenantRoleDto, UpdateTenantRoleDto } from '../control-plane/tenant-roles/dto/tenant-role.dto';
import { TenantRolesService } from '../control-plane/tenant-roles/tenant-roles.service';

@ApiTags('api: roles')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('api')
export class TenantRolesController {
  constructor(
    private readonly roles: TenantRolesService,
    private readonly context: TenantContext,
  ) {}

  @Get('permissions')
  @TenantPermission('users.read')
  @ApiOperation({ summary: 'Every permission a role can grant' })
  @ApiOkResponse({ type: [TenantPermissionDto] })
  permissions(): TenantPermissionDto[] {
    return this.roles.permissions();
  }

  @Get('roles')
  @TenantPermission('users.read')
  @ApiOperation({ summary: 'The built-in and custom roles of the current tenant with their permissions' })
  @ApiOkResponse({ type: [TenantRoleDto] })
  list(): Promise<TenantRoleDto[]> {
    return this.roles.list(this.context.require().id);
  }

  @Post('roles')
  @TenantPermission('roles.manage')
  @ApiOperation({ summary: 'Define a custom role: a name and a set of permissions' })
  @ApiCreatedResponse({ type: TenantRoleDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The name is taken or built in' })
  create(@Body() dto: CreateTenantRoleDto): Promise<TenantRoleDto> {
    return this.roles.create(this.context.require().id, dto);
  }

  @Patch('roles/:name')
  @TenantPermission('roles.manage')
  @ApiOperation({ summary: 'Change a custom role; its users’ access changes at once' })
  @ApiOkResponse({ type: TenantRoleDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A built-in role' })
  update(@Param('name') name: string, @Body() dto: UpdateTenantRoleDto): Promise<TenantRoleDto> {
    return this.roles.update(this.context.require().id, name, dto);
  }

  @Delete('roles/:name')
  @HttpCode(204)
  @TenantPermission('roles.manage')
  @ApiOperation({ summary: 'Delete a custom role nobody holds' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A built-in role, or users still hold it' })
  remove(@Param('name') name: string): Promise<void> {
    return this.roles.remove(this.context.require().id, name);
  }
}
