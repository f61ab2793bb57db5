import { ApiProperty } from '@nestjs/swagger';
import { Matches } from 'class-validator';
import { ROLE_NAME_PATTERN } from '../../../control-plane/tenant-roles/role-name';

export class ChangeTenantUserRoleDto {
  @ApiProperty({ example: 'sales_rep' })
  @Matches(ROLE_NAME_PATTERN, { message: 'role must match ^[a-z][a-z0-9_]{0,63}$' })
  role: string;
}
