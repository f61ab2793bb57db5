import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsAccountEmail, IsDisplayText, IsNewPassword } from '../../platform/validation/text';
import { IsPlanName, PLAN_NAME_PATTERN } from '../../control-plane/plans/plan-name';

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

  @ApiProperty({
    example: 'starter',
    pattern: PLAN_NAME_PATTERN.source,
    description: 'One of the plans offered for self-service (SELF_SERVICE_PLANS)',
  })
  @IsPlanName()
  plan: string;
}
