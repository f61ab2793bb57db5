import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsDisplayText } from '../../../platform/validation/text';
import { USER_STATUSES, UserStatus } from '../../schema/user.entity';

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'Jane Doe', maxLength: 200 })
  @IsOptional()
  @IsDisplayText(200)
  name?: string;

  @ApiPropertyOptional({ enum: USER_STATUSES, description: 'A disabled user cannot log in or refresh' })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;
}
