import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsDisplayText } from '../../../common/validation/text';
import { USER_STATUSES, UserStatus } from '../entities/user.entity';

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'Jane Doe', maxLength: 200 })
  @IsOptional()
  @IsDisplayText(200)
  name?: string;

  @ApiPropertyOptional({ enum: USER_STATUSES, description: 'A disabled user cannot log in or refresh' })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ApiPropertyOptional({ minLength: 12, maxLength: 256, writeOnly: true })
  @IsOptional()
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password?: string;
}
