import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'email' })
  field: string;

  @ApiProperty({ example: ['email must be an email'] })
  problems: string[];
}

/** The one error shape of every endpoint. */
export class ErrorResponseDto {
  @ApiProperty({ type: 'integer', example: 400 })
  statusCode: number;

  @ApiProperty({ example: 'Bad Request' })
  error: string;

  @ApiProperty({ example: 'Validation failed: email must be an email' })
  message: string;

  @ApiPropertyOptional({ type: [FieldErrorDto], description: 'Per-field problems for validation errors' })
  details?: FieldErrorDto[] | Record<string, unknown>;
}
