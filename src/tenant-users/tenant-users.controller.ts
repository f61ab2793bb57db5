import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantPermission } from '../auth/access/access.decorators';
import { ErrorResponseDto } from '../common/errors/error-response.dto';
import { MemberDto } from '../control-plane/tenants/dto/member.dto';
import { AddTenantUserDto, ChangeTenantUserRoleDto } from './dto/tenant-user.dto';
import { TenantUsersService } from './tenant-users.service';

@ApiTags('api: users')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('api/users')
export class TenantUsersController {
  constructor(private readonly users: TenantUsersService) {}

  @Get()
  @TenantPermission('users.read')
  @ApiOperation({ summary: 'The users of the current tenant with their roles' })
  @ApiOkResponse({ type: [MemberDto] })
  list(): Promise<MemberDto[]> {
    return this.users.list();
  }

  @Post()
  @TenantPermission('users.manage')
  @ApiOperation({ summary: 'Add an existing account (email only) or create a user (email and password) with a role' })
  @ApiCreatedResponse({ type: MemberDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Already a user of this tenant, or the plan’s maxUsers quota is reached' })
  add(@Body() dto: AddTenantUserDto): Promise<MemberDto> {
    return this.users.add(dto);
  }

  @Patch(':userId')
  @TenantPermission('users.manage')
  @ApiOperation({ summary: 'Change a user’s role in the current tenant' })
  @ApiOkResponse({ type: MemberDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Not a user of this tenant' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'It would leave the tenant without a tenant admin' })
  changeRole(@Param('userId', ParseUUIDPipe) userId: string, @Body() dto: ChangeTenantUserRoleDto): Promise<MemberDto> {
    return this.users.changeRole(userId, dto.role);
  }

  @Delete(':userId')
  @HttpCode(204)
  @TenantPermission('users.manage')
  @ApiOperation({ summary: 'Remove a user from the current tenant (their sessions in it end; the account stays)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Not a user of this tenant' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The last tenant admin' })
  remove(@Param('userId', ParseUUIDPipe) userId: string): Promise<void> {
    return this.users.remove(userId);
  }
}
