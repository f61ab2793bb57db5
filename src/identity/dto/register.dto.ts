import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { IsAccountEmail, IsDisplayText, IsNewPassword } from '../../platform/validation/text';
import { PLAN_NAMES } from '../../control-plane/tenants/dto/create-tenant.dto';

/** Seed 004's self-service sign-up: a company, its first admin and a plan. */
export class RegisterDto {
  @ApiProperty({ example: 'ACME Corp', maxLength: 200, description: 'Becomes the tenant name; the slug is derived from it' })
  @IsDisplayText(200)
  company: string;

  @ApiProperty({ example: 'admin@acme.example', maxLength: 254 })
  @IsAccountEmail()
  email: string;

  @ApiProperty({ minLength: 12, maxLength: 256, writeOnly: true })
  @IsNewPassword()
  password: string;

  @ApiPropertyOptional({ example: 'Jane Doe', maxLength: 200 })
  @IsOptional()
  @IsDisplayText(200)
  name?: string;

  @ApiProperty({ enum: PLAN_NAMES, example: 'professional' })
  @IsIn(PLAN_NAMES)
  plan: string;
}
