import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ROLE_NAME_PATTERN } from '../../tenant-roles/role-name';

export class ChangeMemberRoleDto {
  @ApiProperty({ example: 'tenant_admin', description: 'tenant_admin, member, or a custom role name' })
  @Matches(ROLE_NAME_PATTERN, { message: 'role must match ^[a-z][a-z0-9_]{0,63}$' })
  role: string;
}

export class MemberDto {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ example: 'jane@acme.example' })
  email: string;

  @ApiProperty({ example: 'Jane Doe' })
  name: string;

  @ApiProperty({ example: 'tenant_admin' })
  role: string;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;
}
