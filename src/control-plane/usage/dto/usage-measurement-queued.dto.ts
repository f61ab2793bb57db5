import { ApiProperty } from '@nestjs/swagger';

export class UsageMeasurementQueuedDto {
  @ApiProperty({ description: 'The measurement job; the day’s `measuredAt` changes when it has run' })
  jobId: string;
}
