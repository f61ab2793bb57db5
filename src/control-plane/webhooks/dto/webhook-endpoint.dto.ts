import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsInt,
  IsOptional,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { PatchType } from '../../../platform/validation/patch-type';
import { IsDisplayText } from '../../../platform/validation/text';
import { EVENT_TYPE_FILTER_PATTERN } from '../event-type-filter';

export class CreateWebhookEndpointDto {
  @ApiProperty({
    example: 'https://hooks.example.com/tenantry',
    maxLength: 2048,
    description:
      'Where events are POSTed. HTTPS in production. Hosts resolving to loopback, private or link-local addresses are refused unless the ' +
      'operator allows them (WEBHOOK_ALLOW_PRIVATE_NETWORKS), cloud metadata addresses always',
  })
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false, allow_underscores: true })
  @Matches(/^[^\p{Cc}]*$/u, { message: 'url must not contain control characters' })
  @MaxLength(2048)
  url: string;

  @ApiProperty({
    example: ['invoice.*', 'deal.stage_changed'],
    description:
      'Which events to deliver: `*` (all), `<entity>.*` or one type `<entity>.<what happened>`. A tenant endpoint gets its tenant’s events; ' +
      'a platform endpoint gets every event its filters match: platform events (`tenant.*`) and, if a filter says so, tenants’ events. ' +
      'Each filter must match a type of the event catalog (GET /api/domain-events/catalog, and the platform’s `tenant.*`, `user.*`): ' +
      'one matching none (`invoice.exploded`) is refused with a 400 naming it',
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(EVENT_TYPE_FILTER_PATTERN, { each: true, message: 'each value in eventTypes must be `*`, `<entity>.*` or `<entity>.<event>`' })
  eventTypes: string[];

  @ApiPropertyOptional({ example: 'Accounting sync', maxLength: 500, default: '' })
  @IsOptional()
  @IsDisplayText(500, 0)
  description?: string;

  @ApiPropertyOptional({ default: true, description: 'A disabled endpoint gets no new deliveries' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class UpdateWebhookEndpointDto extends PatchType(CreateWebhookEndpointDto) {}

export class RotateWebhookSecretDto {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: 720,
    default: 24,
    description:
      'How long the old secret still signs alongside the new one (each delivery carries both signatures meanwhile); 0: not at all. ' +
      'A rotation during an overlap ends the older of the two secrets at once.',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(720)
  overlapHours?: number;
}

/** An endpoint as lists show it: never a secret. */
export class WebhookEndpointDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'https://hooks.example.com/tenantry' })
  url: string;

  @ApiProperty({ example: ['invoice.*'] })
  eventTypes: string[];

  @ApiProperty({ example: 'Accounting sync' })
  description: string;

  @ApiProperty()
  enabled: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'Why the platform disabled the endpoint (it failed for days), if it did' })
  disabledReason: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Since when the endpoint is disabled (by the platform or by hand); null while enabled',
  })
  disabledAt: Date | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Since when deliveries fail without a success; null: healthy',
  })
  failingSince: Date | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'Until when the previous secret (after a rotation) still signs alongside the current one',
  })
  previousSecretExpiresAt: Date | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: Date;

  @ApiProperty({ format: 'date-time' })
  updatedAt: Date;
}

export class CreatedWebhookEndpointDto extends WebhookEndpointDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The signing secret, this once (Standard Webhooks form)' })
  secret: string;
}

export class RotatedWebhookSecretDto {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The new signing secret, this once' })
  secret: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'Until when the old secret still signs as well' })
  previousSecretExpiresAt: Date | null;
}
