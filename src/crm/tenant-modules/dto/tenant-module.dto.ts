import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches, Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';
import { IsAccountEmail, IsCurrencyCode, IsDisplayText } from '../../../platform/validation/text';

export class TenantModuleDto {
  @ApiProperty({ example: 'invoices' })
  name: string;

  @ApiProperty({ example: 'Billing: quotes, invoices and payments' })
  description: string;

  @ApiProperty()
  enabled: boolean;

  @ApiProperty({ description: 'Whether the tenant’s plan includes it (only then can the tenant admin enable it)' })
  inPlan: boolean;

  @ApiProperty({ type: [String], example: ['address', 'currency'], description: 'Settings it needs that are still empty' })
  missingSettings: string[];

  @ApiProperty({
    description:
      'Whether its routes serve this tenant’s data. False only for a byod tenant’s module that cannot be mapped onto its own system: its routes answer 409 even when it is enabled',
  })
  served: boolean;
}

@ValidatorConstraint({ name: 'timeZone' })
class IsTimeZone implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && Intl.supportedValuesOf('timeZone').includes(value);
  }

  defaultMessage(): string {
    return 'timezone must be an IANA time zone such as Europe/Berlin';
  }
}

/** Every field optional; what is sent replaces what is there. */
export class UpdateTenantSettingsDto {
  @ApiPropertyOptional({ example: 'Acme Corporation', maxLength: 200 })
  @IsOptional()
  @IsDisplayText(200)
  companyName?: string;

  @ApiPropertyOptional({ example: 'billing@acme.example' })
  @IsOptional()
  @IsAccountEmail()
  companyEmail?: string;

  @ApiPropertyOptional({ example: '1 Main Street, 10115 Berlin, Germany', maxLength: 500 })
  @IsOptional()
  @IsDisplayText(500)
  address?: string;

  @ApiPropertyOptional({ example: 'EUR', description: 'ISO 4217 code' })
  @IsOptional()
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({ example: 'Europe/Berlin' })
  @IsOptional()
  @Validate(IsTimeZone)
  timezone?: string;

  @ApiPropertyOptional({ example: 'de-DE' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(-[A-Z]{2})?$/, { message: 'locale must look like en or de-DE' })
  locale?: string;
}
