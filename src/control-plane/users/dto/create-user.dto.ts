import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsDisplayText, NormalizeEmail } from '../../../common/validation/text';

export class CreateUserDto {
  @ApiProperty({ example: 'jane@acme.example', maxLength: 254 })
  @NormalizeEmail()
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'correct horse battery staple', minLength: 12, maxLength: 256, writeOnly: true })
  @IsString()
  @MinLength(12)
  @MaxLength(256)
  password: string;

  @ApiPropertyOptional({ example: 'Jane Doe', maxLength: 200 })
  @IsOptional()
  @IsDisplayText(200)
  name?: string;
}
