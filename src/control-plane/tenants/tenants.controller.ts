import { Body, Controller, Delete, ForbiddenException, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PlatformAdmin, TenantAdministration } from '../../platform/access/access.decorators';
import { CurrentActor } from '../../platform/access/current-actor.decorator';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { CurrentIdempotencyClaim, Idempotent } from '../../platform/idempotency/idempotent.decorator';
import { IdempotencyClaim } from '../../platform/idempotency/idempotency.service';
import { Actor } from '../../platform/request-context/request-context';
import { UsersService } from '../users/users.service';
import { CREATE_TENANT_EXAMPLE, CreateTenantDto } from './dto/create-tenant.dto';
import { ListTenantsQueryDto } from './dto/list-tenants-query.dto';
import { ChangeMemberRoleDto, MemberDto } from '../memberships/dto/member.dto';
import { TenantDetailDto, TenantDto, TenantPageDto, TenantUpdatedDto, withoutHostingDetails } from './dto/tenant.dto';
import { UpdateTenantDto } from './dto/update-tenant.dto';
import { UpdateTenantQueryDto } from './dto/placement-change.dto';
import { PLATFORM_ADMIN_RIGHTS, superAdminRights } from './tenant-edit-rights';
import { MembershipDirectory } from '../memberships/membership-directory';
import { MembershipsService } from '../memberships/memberships.service';
import { TenantCreation } from './tenant-creation.service';
import { TenantLifecycle } from './tenant-lifecycle.service';
import { TenantLookup } from './tenant-lookup.service';
import { TenantPurge } from './tenant-purge.service';
import { TenantUpdates } from './tenant-updates.service';

@ApiTags('control: tenants')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('control/tenants')
export class TenantsController {
  constructor(
    private readonly creation: TenantCreation,
    private readonly lookup: TenantLookup,
    private readonly updates: TenantUpdates,
    private readonly lifecycle: TenantLifecycle,
    private readonly purging: TenantPurge,
    private readonly members: MembershipDirectory,
    private readonly memberships: MembershipsService,
    private readonly users: UsersService,
  ) {}

  @Post()
  @HttpCode(202)
  @PlatformAdmin()
  @ApiOperation({
    summary: 'Register a tenant; it is provisioned in the background',
    description:
      'Answers 202 with the tenant in status `provisioning`; the provisioning job was enqueued in the same transaction. ' +
      'Watch `GET /control/tenants/{id}` until `active` (or `failed`, with `failureReason`; then `POST …/retry`).',
  })
  @ApiBody({ type: CreateTenantDto, examples: { pooledStarter: CREATE_TENANT_EXAMPLE } })
  @ApiAcceptedResponse({ type: TenantDetailDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'Slug already in use, or the requested pool/server is unknown, not active or full',
  })
  @Idempotent({ completesInTransaction: true })
  create(@Body() dto: CreateTenantDto, @CurrentIdempotencyClaim() claim?: IdempotencyClaim): Promise<TenantDto> {
    return this.creation.create(dto, claim);
  }

  @Get()
  @TenantAdministration()
  @ApiOperation({ summary: 'List tenants (super admins see only their assigned tenants), oldest first' })
  @ApiOkResponse({ type: TenantPageDto })
  async list(@Query() query: ListTenantsQueryDto, @CurrentActor() actor: Actor): Promise<TenantPageDto> {
    if (isPlatformAdmin(actor)) return this.lookup.list(query, undefined);
    const page = await this.lookup.list(query, await this.users.superAdminTenantIds(actor.userId));
    return { ...page, items: page.items.map(withoutHostingDetails) };
  }

  @Get(':id')
  @TenantAdministration('id')
  @ApiOperation({ summary: 'Get a tenant; platform admins also see its provisioning steps and their timing' })
  @ApiOkResponse({ type: TenantDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@Param('id', ParseUUIDPipe) id: string, @CurrentActor() actor: Actor): Promise<TenantDetailDto> {
    const tenant = await this.lookup.get(id);
    return isPlatformAdmin(actor) ? tenant : withoutHostingDetails(tenant);
  }

  @Patch(':id')
  @TenantAdministration('id')
  @ApiOperation({
    summary: 'Rename a tenant, change its plan (which enables the plan’s modules) or its enabled modules',
    description:
      'Platform admins may change everything, and enable any module. A super admin changes the plan only where a platform admin ' +
      'allowed it (`planChangeTenantIds` of `PUT /control/users/{id}/platform-role`) and enables only modules of the plan. ' +
      'When a new plan places its tenants (its `defaultPlacement`) elsewhere than a pooled or dedicated tenant lives, a platform ' +
      'admin’s answer offers the move in `placementChange` (also in the audit entry); `?move=true` starts it at once, in the ' +
      'same transaction as the plan change.',
  })
  @ApiOkResponse({ type: TenantUpdatedDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({
    type: ErrorResponseDto,
    description:
      'A super admin changing what it may not, or asking for `move`; `details` names the fields (`plan`, `enabledModules`, `move`)',
  })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      '`?move=true` and the move cannot start (the tenant is not active, has an unfinished move, no target has room): nothing changed',
  })
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: UpdateTenantDto,
    @Query() query: UpdateTenantQueryDto,
    @CurrentActor() actor: Actor,
  ): Promise<TenantUpdatedDto> {
    const startMove = query.move === 'true';
    if (isPlatformAdmin(actor)) return this.updates.update(id, dto, PLATFORM_ADMIN_RIGHTS, startMove);
    if (startMove) {
      throw new ForbiddenException({
        message: 'Only platform admins move tenants',
        details: [{ field: 'move', problems: ['only platform admins move tenants'] }],
      });
    }
    const rights = superAdminRights(await this.users.mayChangePlan(actor.userId, id));
    // The offered move is for platform admins, who alone start moves; the audit entry records it all the same.
    const { placementChange: _placementChange, ...updated } = await this.updates.update(id, dto, rights);
    return { ...withoutHostingDetails(updated), modulesAwaitingSettings: updated.modulesAwaitingSettings };
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @PlatformAdmin()
  @ApiOperation({ summary: 'Suspend an active tenant: its users are refused at once' })
  @ApiOkResponse({ type: TenantDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is not active' })
  suspend(@Param('id', ParseUUIDPipe) id: string): Promise<TenantDto> {
    return this.lifecycle.suspend(id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @PlatformAdmin()
  @ApiOperation({ summary: 'Resume a suspended tenant' })
  @ApiOkResponse({ type: TenantDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is not suspended' })
  resume(@Param('id', ParseUUIDPipe) id: string): Promise<TenantDto> {
    return this.lifecycle.resume(id);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @PlatformAdmin()
  @ApiOperation({ summary: 'Provision a failed tenant again; steps already done are skipped' })
  @ApiAcceptedResponse({ type: TenantDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is not failed' })
  retry(@Param('id', ParseUUIDPipe) id: string): Promise<TenantDetailDto> {
    return this.creation.retry(id);
  }

  @Delete(':id')
  @PlatformAdmin()
  @ApiOperation({ summary: 'Delete a tenant (soft): its users are refused at once; data kept for TENANT_RETENTION_DAYS' })
  @ApiOkResponse({ type: TenantDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is provisioning, already deleted or purged' })
  remove(@Param('id', ParseUUIDPipe) id: string): Promise<TenantDto> {
    return this.lifecycle.remove(id);
  }

  @Post(':id/restore')
  @HttpCode(200)
  @PlatformAdmin()
  @ApiOperation({ summary: 'Undo a delete before the purge; the tenant comes back suspended' })
  @ApiOkResponse({ type: TenantDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is not deleted' })
  restore(@Param('id', ParseUUIDPipe) id: string): Promise<TenantDto> {
    return this.lifecycle.restore(id);
  }

  @Post(':id/purge')
  @HttpCode(200)
  @PlatformAdmin()
  @ApiOperation({ summary: 'Destroy a deleted tenant’s data (its database and role, or its pooled rows) after the retention period' })
  @ApiOkResponse({ type: TenantDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description:
      'The tenant is not deleted, its retention period has not ended, or its database or role does not carry this control plane’s mark',
  })
  purge(@Param('id', ParseUUIDPipe) id: string): Promise<TenantDto> {
    return this.purging.purge(id);
  }

  @Get(':id/members')
  @TenantAdministration('id')
  @ApiOperation({ summary: 'List the users of a tenant with their roles' })
  @ApiOkResponse({ type: [MemberDto] })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  listMembers(@Param('id', ParseUUIDPipe) id: string): Promise<MemberDto[]> {
    return this.members.list(id);
  }

  @Patch(':id/members/:userId')
  @TenantAdministration('id')
  @ApiOperation({ summary: 'Change a member’s role (people join only by accepting an invitation: POST /control/tenants/{id}/invitations)' })
  @ApiOkResponse({ type: MemberDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown tenant, or not a member' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'It would leave the tenant without a tenant admin' })
  changeMemberRole(
    @Param('id', ParseUUIDPipe) id: string,
    @Param('userId', ParseUUIDPipe) userId: string,
    @Body() dto: ChangeMemberRoleDto,
  ): Promise<MemberDto> {
    return this.memberships.changeRole(id, userId, dto.role);
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @TenantAdministration('id')
  @ApiOperation({ summary: 'Remove a user from a tenant (their sessions in it end)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant’s last tenant admin' })
  removeMember(@Param('id', ParseUUIDPipe) id: string, @Param('userId', ParseUUIDPipe) userId: string): Promise<void> {
    return this.memberships.remove(id, userId);
  }
}

/** The guard read the platform role fresh; anyone else here is a super admin of this tenant. */
const isPlatformAdmin = (actor: Actor) => actor.platformRole === 'platform_admin';
