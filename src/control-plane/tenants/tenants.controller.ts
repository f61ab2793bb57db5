import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PlatformAdmin, TenantAdministration } from '../../auth/access/access.decorators';
import { CurrentActor } from '../../auth/access/current-actor.decorator';
import { ErrorResponseDto } from '../../common/errors/error-response.dto';
import { Actor } from '../../common/request-context/request-context';
import { UsersService } from '../users/users.service';
import { CreateTenantDto } from './dto/create-tenant.dto';
import { ListTenantsQueryDto } from './dto/list-tenants-query.dto';
import { AddMemberDto, MemberDto } from './dto/member.dto';
import { TenantDto, TenantPageDto } from './dto/tenant.dto';
import { UpdateTenantDto } from './dto/update-tenant.dto';
import { TenantsService } from './tenants.service';

@ApiTags('control: tenants')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('control/tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly users: UsersService,
  ) {}

  @Post()
  @PlatformAdmin()
  @ApiOperation({ summary: 'Register a tenant' })
  @ApiCreatedResponse({ type: TenantDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Slug already in use' })
  create(@Body() dto: CreateTenantDto): Promise<TenantDto> {
    return this.tenants.create(dto);
  }

  @Get()
  @TenantAdministration()
  @ApiOperation({ summary: 'List tenants (super admins see only their assigned tenants), oldest first' })
  @ApiOkResponse({ type: TenantPageDto })
  async list(@Query() query: ListTenantsQueryDto, @CurrentActor() actor: Actor): Promise<TenantPageDto> {
    const scope = actor.platformRole === 'platform_admin' ? undefined : await this.users.superAdminTenantIds(actor.userId);
    return this.tenants.list(query, scope);
  }

  @Get(':id')
  @TenantAdministration('id')
  @ApiOperation({ summary: 'Get a tenant' })
  @ApiOkResponse({ type: TenantDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<TenantDto> {
    return this.tenants.get(id);
  }

  @Patch(':id')
  @TenantAdministration('id')
  @ApiOperation({ summary: 'Rename a tenant, change its plan or its enabled modules' })
  @ApiOkResponse({ type: TenantDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateTenantDto): Promise<TenantDto> {
    return this.tenants.update(id, dto);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @PlatformAdmin()
  @ApiOperation({ summary: 'Suspend an active tenant: its users are refused at once' })
  @ApiOkResponse({ type: TenantDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is not active' })
  suspend(@Param('id', ParseUUIDPipe) id: string): Promise<TenantDto> {
    return this.tenants.suspend(id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @PlatformAdmin()
  @ApiOperation({ summary: 'Resume a suspended tenant' })
  @ApiOkResponse({ type: TenantDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is not suspended' })
  resume(@Param('id', ParseUUIDPipe) id: string): Promise<TenantDto> {
    return this.tenants.resume(id);
  }

  @Get(':id/members')
  @TenantAdministration('id')
  @ApiOperation({ summary: 'List the users of a tenant with their roles' })
  @ApiOkResponse({ type: [MemberDto] })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  listMembers(@Param('id', ParseUUIDPipe) id: string): Promise<MemberDto[]> {
    return this.tenants.listMembers(id);
  }

  @Put(':id/members')
  @HttpCode(200)
  @TenantAdministration('id')
  @ApiOperation({ summary: 'Add an existing user to a tenant, or change their role' })
  @ApiOkResponse({ type: MemberDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown tenant or user' })
  addMember(@Param('id', ParseUUIDPipe) id: string, @Body() dto: AddMemberDto): Promise<MemberDto> {
    return this.tenants.addMember(id, dto);
  }

  @Delete(':id/members/:userId')
  @HttpCode(204)
  @TenantAdministration('id')
  @ApiOperation({ summary: 'Remove a user from a tenant (their sessions in it end)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  removeMember(@Param('id', ParseUUIDPipe) id: string, @Param('userId', ParseUUIDPipe) userId: string): Promise<void> {
    return this.tenants.removeMember(id, userId);
  }
}
