import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Put, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlatformAdmin } from '../../platform/access/access.decorators';
import { RefusesApiKeys } from '../../platform/access/refuses-api-keys.decorator';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { ListUsersQueryDto } from './dto/list-users-query.dto';
import { SetPlatformRoleDto } from './dto/set-platform-role.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UserDetailDto, UserDto, UserPageDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('control: users')
@PlatformAdmin()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('control/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: 'List users, oldest first, with cursor pagination' })
  @ApiOkResponse({ type: UserPageDto })
  list(@Query() query: ListUsersQueryDto): Promise<UserPageDto> {
    return this.users.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Get a user with their super-admin assignments' })
  @ApiOkResponse({ type: UserDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<UserDetailDto> {
    return this.users.get(id);
  }

  @Patch(':id')
  @RefusesApiKeys()
  @ApiOperation({ summary: 'Rename, disable or enable a user (disabling ends their sessions); passwords are set only by their holders' })
  @ApiOkResponse({ type: UserDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  update(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateUserDto): Promise<UserDto> {
    return this.users.update(id, dto);
  }

  @Put(':id/platform-role')
  @HttpCode(200)
  @RefusesApiKeys()
  @ApiOperation({
    summary: 'Make a user platform admin, super admin of a set of tenants, or neither',
    description:
      'A super admin may change the plan only of the tenants also listed in `planChangeTenantIds` (400 if one is not in `tenantIds`).',
  })
  @ApiOkResponse({ type: UserDetailDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown user or tenant id' })
  setPlatformRole(@Param('id', ParseUUIDPipe) id: string, @Body() dto: SetPlatformRoleDto): Promise<UserDetailDto> {
    return this.users.setPlatformRole(id, dto);
  }
}
