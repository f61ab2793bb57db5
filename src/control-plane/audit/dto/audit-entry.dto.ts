import { ApiProperty } from '@nestjs/swagger';
import { PageDtoOf } from '../../../platform/pagination/page.dto';

export class AuditEntryDto {
  @ApiProperty({ example: '42' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: Date;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  actorUserId: string | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The API key that acted; actorUserId is then the user who created it',
  })
  actorApiKeyId: string | null;

  @ApiProperty({ example: 'tenant.create' })
  action: string;

  @ApiProperty({ example: 'tenant' })
  targetType: string;

  @ApiProperty({ type: String, nullable: true })
  targetId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  tenantId: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Changed fields; secrets redacted' })
  changes: Record<string, unknown> | null;

  @ApiProperty({ type: String, nullable: true })
  requestId: string | null;

  @ApiProperty({ type: String, nullable: true })
  clientIp: string | null;
}

export class AuditPageDto extends PageDtoOf(AuditEntryDto) {}
