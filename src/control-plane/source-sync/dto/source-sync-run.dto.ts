import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CursorPaginationQueryDto } from '../../../platform/pagination/cursor-pagination';
import { PageDtoOf } from '../../../platform/pagination/page.dto';

export const SOURCE_SYNC_RUN_STATUSES = ['queued', 'running', 'retrying', 'succeeded', 'failed'] as const;
export type SourceSyncRunStatus = (typeof SOURCE_SYNC_RUN_STATUSES)[number];

export class SourceSyncChangesDto {
  @ApiProperty({ type: 'integer', example: 2 })
  created: number;

  @ApiProperty({ type: 'integer', example: 5 })
  updated: number;

  @ApiProperty({ type: 'integer', example: 1 })
  deleted: number;
}

/** One sync run of a byod tenant's data source. */
export class SourceSyncRunDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: ['manual', 'schedule'], description: '`manual`: sync now; `schedule`: autoSync' })
  trigger: 'manual' | 'schedule';

  @ApiProperty({
    enum: SOURCE_SYNC_RUN_STATUSES,
    description: 'queued → running → succeeded; a failed attempt leaves it `retrying` (with `error`) until the last retry, then `failed`',
  })
  status: SourceSyncRunStatus;

  @ApiProperty({
    description:
      'The run only took a baseline of the source (its first run, or the first after the data source changed): rows fingerprinted, no events raised',
  })
  baseline: boolean;

  @ApiProperty({ type: 'integer', description: 'Attempts so far (retries included)', example: 1 })
  attempts: number;

  @ApiPropertyOptional({ type: 'integer', nullable: true, description: 'The data-source revision the run read' })
  sourceRevision: number | null;

  @ApiProperty({ type: 'integer', description: 'Rows read and compared by the last attempt', example: 120 })
  rowsSeen: number;

  @ApiProperty({ type: SourceSyncChangesDto, description: 'Changes found, each raised as a domain event' })
  changes: SourceSyncChangesDto;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Why the last attempt failed (never a secret)',
    example: "The tenant's database did not answer: connect ECONNREFUSED 203.0.113.7:3306",
  })
  error: string | null;

  @ApiProperty({ type: String, format: 'date-time' })
  queuedAt: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  startedAt: Date | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true })
  finishedAt: Date | null;
}

export class SourceSyncRunPageDto extends PageDtoOf(SourceSyncRunDto, 'Newest first') {}

export class ListSourceSyncRunsQueryDto extends CursorPaginationQueryDto {}
