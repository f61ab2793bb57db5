import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsAccountEmail, IsDisplayText, IsNewPassword } from '../../../platform/validation/text';

export class CreateUserDto {
  @ApiProperty({ example: 'jane@acme.example', maxLength: 254 })
  @IsAccountEmail()
  email: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 12, maxLength: 256, writeOnly: true })
  @IsNewPassword()
  password: string;

  @ApiPropertyOptional({ example: 'Jane Doe', maxLength: 200 })
  @IsOptional()
  @IsDisplayText(200)
  name?: string;
}
