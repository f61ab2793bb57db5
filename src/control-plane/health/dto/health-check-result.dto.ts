import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

/** One check of a health answer, as @nestjs/terminus reports it (plus the check's own figures). */
export class HealthIndicatorDto {
  @ApiProperty({ enum: ['up', 'down'] })
  status: 'up' | 'down';

  @ApiPropertyOptional({ type: 'integer', description: 'How long the check took, in whole milliseconds' })
  responseTime?: number;
}

const checks = { type: 'object' as const, additionalProperties: { $ref: getSchemaPath(HealthIndicatorDto) } };

/**
 * A health answer. Documented here rather than by terminus's own schema, which calls its whole
 * milliseconds a `number` and says nothing of this app's checks.
 */
export class HealthCheckResultDto {
  @ApiProperty({ enum: ['ok', 'error', 'shutting_down'] })
  status: 'ok' | 'error' | 'shutting_down';

  @ApiPropertyOptional({ ...checks, description: 'The checks that passed' })
  info?: Record<string, HealthIndicatorDto>;

  @ApiPropertyOptional({ ...checks, description: 'The checks that failed' })
  error?: Record<string, HealthIndicatorDto>;

  @ApiProperty({ ...checks, description: 'Every check' })
  details: Record<string, HealthIndicatorDto>;
}
