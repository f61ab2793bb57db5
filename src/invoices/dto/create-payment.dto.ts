import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsDisplayText } from '../../common/validation/text';

export class CreatePaymentDto {
  @ApiProperty({ example: 10_000, description: 'Minor units; at most the balance due' })
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  amountMinor: number;

  @ApiPropertyOptional({ example: '2027-03-15', description: 'Default: today (UTC)' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: 'paidOn must be a date (YYYY-MM-DD)' })
  paidOn?: string;

  @ApiProperty({ example: 'bank_transfer', maxLength: 32, description: 'How it was paid, in the tenant’s words' })
  @IsDisplayText(32)
  method: string;

  @ApiPropertyOptional({ example: 'SEPA 2027-03-15 #4411', maxLength: 100 })
  @IsOptional()
  @IsDisplayText(100)
  reference?: string;
}
