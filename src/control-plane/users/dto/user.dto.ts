import { ApiProperty } from '@nestjs/swagger';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { PLATFORM_ROLES, PlatformRole, User, USER_STATUSES, UserStatus } from '../../schema/user.entity';

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'jane@acme.example' })
  email: string;

  @ApiProperty({ example: 'Jane Doe' })
  name: string;

  @ApiProperty({ enum: USER_STATUSES })
  status: UserStatus;

  @ApiProperty({ enum: PLATFORM_ROLES, nullable: true })
  platformRole: PlatformRole | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt: Date;

  static from(user: User): UserDto {
    const { id, email, name, status, platformRole, createdAt, updatedAt } = user;
    return { id, email, name, status, platformRole, createdAt, updatedAt };
  }
}

export class UserDetailDto extends UserDto {
  @ApiProperty({ type: [String], format: 'uuid', description: 'Tenants a super admin administers' })
  superAdminTenantIds: string[];

  @ApiProperty({ type: [String], format: 'uuid', description: 'Of those, the tenants whose plan they may change' })
  planChangeTenantIds: string[];
}

export class UserPageDto extends PageDtoOf(UserDto) {}
