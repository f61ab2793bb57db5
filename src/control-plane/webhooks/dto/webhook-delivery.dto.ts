import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { IsInstant } from '../../../platform/validation/instant';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export class DeliveryQueryDto extends CursorPaginationQueryDto {
  @ApiPropertyOptional({ enum: DELIVERY_STATUSES, description: '`dead`: dead-lettered after the last try (or the endpoint was disabled)' })
  @IsOptional()
  @IsIn(DELIVERY_STATUSES)
  status?: DeliveryStatus;

  @ApiPropertyOptional({ description: 'Only deliveries of this event type, e.g. `invoice.paid`' })
  @IsOptional()
  @Matches(/^[a-z][a-z0-9_]{0,30}\.[a-z][a-z0-9_]{0,30}$/, { message: 'eventType must be an event type such as invoice.paid' })
  eventType?: string;
}

export class ReplayRangeDto {
  @ApiProperty({ format: 'date-time', example: '2027-05-14T09:00:00Z', description: 'Events recorded at or after this moment' })
  @IsInstant()
  since: string;

  @ApiProperty({ format: 'date-time', example: '2027-05-14T10:00:00Z', description: 'Events recorded before this moment' })
  @IsInstant()
  until: string;
}

export class ReplayedDto {
  @ApiProperty({ type: 'integer', description: 'Deliveries created: one per event of the range the endpoint’s filters match now' })
  replayed: number;
}

export class WebhookDeliveryDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({
    format: 'uuid',
    description: 'The event’s id, sent as `webhook-id`: the same on every retry and replay (de-duplicate on it)',
  })
  eventId: string;

  @ApiProperty({ example: 'invoice.paid' })
  eventType: string;

  @ApiProperty({ enum: DELIVERY_STATUSES })
  status: DeliveryStatus;

  @ApiProperty({ type: 'integer', description: 'Attempts made so far' })
  attempts: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the next attempt is due (pending deliveries)' })
  nextAttemptAt: Date | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The delivery this one replays' })
  replayOf: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt: Date | null;
}

export class WebhookDeliveryPageDto extends PageDtoOf(WebhookDeliveryDto) {}

export class WebhookDeliveryAttemptDto {
  @ApiProperty({ type: 'integer', example: 1 })
  attempt: number;

  @ApiProperty({ format: 'date-time' })
  startedAt: Date;

  @ApiProperty({ type: 'integer' })
  durationMs: number;

  @ApiProperty({ type: 'integer', nullable: true, description: 'The receiver’s HTTP status; null when it did not answer' })
  statusCode: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'The first KiB of the answer' })
  responseExcerpt: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the attempt failed (timeout, refused address, redirect, ...)' })
  error: string | null;
}

export class WebhookDeliveryDetailDto extends WebhookDeliveryDto {
  @ApiProperty({
    description: 'The body POSTed: `{ type, timestamp, data }`',
    example: { type: 'invoice.paid', timestamp: '2027-01-01T00:00:00.000Z', data: {} },
  })
  payload: Record<string, unknown>;

  @ApiProperty({ type: [WebhookDeliveryAttemptDto], description: 'Every attempt, oldest first' })
  attemptLog: WebhookDeliveryAttemptDto[];
}
