import { ApiProperty } from '@nestjs/swagger';

export class AuditEntryDto {
  @ApiProperty({ example: '42' })
  id: string;

  @ApiProperty({ format: 'date-time' })
  occurredAt: Date;

  @ApiProperty({ format: 'uuid', nullable: true })
  actorUserId: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, description: 'The API key that acted; actorUserId is then the user who created it' })
  actorApiKeyId: string | null;

  @ApiProperty({ example: 'tenant.create' })
  action: string;

  @ApiProperty({ example: 'tenant' })
  targetType: string;

  @ApiProperty({ nullable: true })
  targetId: string | null;

  @ApiProperty({ format: 'uuid', nullable: true })
  tenantId: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, description: 'Changed fields; secrets redacted' })
  changes: Record<string, unknown> | null;

  @ApiProperty({ nullable: true })
  requestId: string | null;

  @ApiProperty({ nullable: true })
  clientIp: string | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] })
  items: AuditEntryDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}
