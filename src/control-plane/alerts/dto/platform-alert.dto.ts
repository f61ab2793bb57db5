import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsQueryFlag } from '../../../platform/validation/text';
import { ALERT_KINDS, AlertKind, PlatformAlert } from '../../schema/platform-alert.entity';

export class AlertQueryDto {
  @ApiPropertyOptional({ description: 'true: open alerts only; false: resolved ones only; unset: all' })
  @IsOptional()
  @IsQueryFlag()
  open?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit: number = 50;
}

export class PlatformAlertDto {
  @ApiProperty({ description: 'The alert’s number' })
  id: string;

  @ApiProperty({
    enum: ALERT_KINDS,
    description:
      'provisioning_failed: a tenant’s provisioning failed for good (subject: the tenant id); byod_breaker_open: a byod source’s circuit breaker has been open longer than BYOD_BREAKER_ALERT_AFTER_MS (subject: the tenant id); connection_budget_timeouts: requests gave up waiting for a tenant connection (subject: the process); quota_nearly_reached: a tenant is at 90% of a quota or more (subject: tenant id and quota)',
  })
  kind: AlertKind;

  @ApiProperty()
  subject: string;

  @ApiProperty({ description: 'The latest occurrence’s words' })
  message: string;

  @ApiProperty({ type: 'integer' })
  occurrences: number;

  @ApiProperty({ format: 'date-time' })
  firstRaisedAt: Date;

  @ApiProperty({ format: 'date-time' })
  lastRaisedAt: Date;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  resolvedAt: Date | null;

  static from(alert: PlatformAlert): PlatformAlertDto {
    const { id, kind, subject, message, occurrences, firstRaisedAt, lastRaisedAt, resolvedAt } = alert;
    return { id, kind, subject, message, occurrences, firstRaisedAt, lastRaisedAt, resolvedAt };
  }
}
