import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { MemberDto } from '../../control-plane/memberships/dto/member.dto';
import { ChangeTenantUserRoleDto } from './dto/tenant-user.dto';
import { TenantUsersService } from './tenant-users.service';
import { OutsideTenantStorage } from '../../platform/access/outside-tenant-storage.decorator';

@OutsideTenantStorage()
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

  @Patch(':userId')
  @TenantPermission('users.manage')
  @ApiOperation({ summary: 'Change a user’s role in the current tenant (not your own; only between roles within your own permissions)' })
  @ApiOkResponse({ type: MemberDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Not a user of this tenant' })
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'Your own role, or a role (old or new) with permissions you do not hold' })
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
  @ApiForbiddenResponse({ type: ErrorResponseDto, description: 'A user whose role has permissions you do not hold' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The last tenant admin' })
  remove(@Param('userId', ParseUUIDPipe) userId: string): Promise<void> {
    return this.users.remove(userId);
  }
}
