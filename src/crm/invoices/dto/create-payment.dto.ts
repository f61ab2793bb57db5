import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsDateOnly, IsDisplayText } from '../../../platform/validation/text';

export class CreatePaymentDto {
  @ApiProperty({ type: 'integer', example: 10_000, description: 'Minor units; at most the balance due' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor: number;

  @ApiPropertyOptional({ format: 'date', example: '2027-03-15', description: 'Default: today (UTC)' })
  @IsOptional()
  @IsDateOnly()
  paidOn?: string;

  @ApiProperty({ example: 'bank_transfer', maxLength: 32, description: 'How it was paid, in the tenant’s words' })
  @IsDisplayText(32)
  method: string;

  @ApiPropertyOptional({ example: 'SEPA 2027-03-15 #4411', maxLength: 100 })
  @IsOptional()
  @IsDisplayText(100)
  reference?: string;
}
