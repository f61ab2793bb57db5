import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min, ValidateIf } from 'class-validator';

const RATE_MAX = 100_000_000;

export class RequestRatesDto {
  @ApiProperty({ type: 'integer', nullable: true, example: 600, description: 'Requests per minute of the whole tenant; null: unlimited' })
  tenantRequestsPerMinute: number | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 300,
    description: 'Requests per minute of each user, and of each API key, in the tenant; null: unlimited',
  })
  principalRequestsPerMinute: number | null;
}

export class TenantRateLimitsDto {
  @ApiProperty({ type: RequestRatesDto, description: 'What the tenant is held to: the override where set, else the plan' })
  effective: RequestRatesDto;

  @ApiProperty({ type: RequestRatesDto, description: 'The rates of the tenant’s plan' })
  plan: RequestRatesDto;

  @ApiProperty({ type: RequestRatesDto, description: 'A platform admin’s override; null fields: the plan’s rate applies' })
  override: RequestRatesDto;
}

/** Both fields required: an integer overrides the plan's rate, null returns to it. */
export class OverrideTenantRateLimitsDto {
  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, maximum: RATE_MAX, example: 1200, description: 'null: the plan’s rate' })
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(RATE_MAX)
  tenantRequestsPerMinute: number | null;

  @ApiProperty({ type: 'integer', nullable: true, minimum: 1, maximum: RATE_MAX, example: null, description: 'null: the plan’s rate' })
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(RATE_MAX)
  principalRequestsPerMinute: number | null;
}
