import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { TenantPermission } from '../../platform/access/access.decorators';
import { CurrentActor } from '../../platform/access/current-actor.decorator';
import { Actor } from '../../platform/request-context/request-context';
import { assertWithinOwnPermissions } from './least-privilege';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import {
  CreateTenantRoleDto,
  TenantPermissionDto,
  TenantRoleDto,
  UpdateTenantRoleDto,
} from '../../control-plane/tenant-roles/dto/tenant-role.dto';
import { TenantRolesService } from '../../control-plane/tenant-roles/tenant-roles.service';
import { Idempotent } from '../../platform/idempotency/idempotent.decorator';
import { OutsideTenantStorage } from '../../platform/access/outside-tenant-storage.decorator';

@OutsideTenantStorage()
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
  @Idempotent()
  @TenantPermission('roles.manage')
  @ApiOperation({ summary: 'Define a custom role: a name and a set of permissions' })
  @ApiCreatedResponse({ type: TenantRoleDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The name is taken or built in' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'The role would permit what you may not do' })
  create(@Body() dto: CreateTenantRoleDto, @CurrentActor() actor: Actor): Promise<TenantRoleDto> {
    assertWithinOwnPermissions(dto.permissions, actor.tenantPermissions ?? [], 'permissions', 'this role');
    return this.roles.create(this.context.require().id, dto);
  }

  @Patch('roles/:name')
  @TenantPermission('roles.manage')
  @ApiOperation({ summary: 'Change a custom role; its users’ access changes at once' })
  @ApiOkResponse({ type: TenantRoleDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A built-in role' })
  async update(@Param('name') name: string, @Body() dto: UpdateTenantRoleDto, @CurrentActor() actor: Actor): Promise<TenantRoleDto> {
    const tenantId = this.context.require().id;
    await this.assertManageable(tenantId, name, actor);
    if (dto.permissions) assertWithinOwnPermissions(dto.permissions, actor.tenantPermissions ?? [], 'permissions', 'this role');
    return this.roles.update(tenantId, name, dto);
  }

  @Delete('roles/:name')
  @HttpCode(204)
  @TenantPermission('roles.manage')
  @ApiOperation({ summary: 'Delete a custom role nobody holds' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A built-in role, or users still hold it' })
  async remove(@Param('name') name: string, @CurrentActor() actor: Actor): Promise<void> {
    const tenantId = this.context.require().id;
    await this.assertManageable(tenantId, name, actor);
    return this.roles.remove(tenantId, name);
  }

  /** A role that permits more than the caller may do is not theirs to change or delete. */
  private async assertManageable(tenantId: string, name: string, actor: Actor): Promise<void> {
    const current = await this.roles.permissionsOf(tenantId, name);
    if (current) assertWithinOwnPermissions(current, actor.tenantPermissions ?? [], 'name', `role "${name}"`);
  }
}
