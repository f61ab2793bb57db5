import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, Max, Min, ValidateIf } from 'class-validator';

export const MIN_SYNC_FREQUENCY_MINUTES = 5;
export const MAX_SYNC_FREQUENCY_MINUTES = 1_440;

export class UpdateSourceSyncSettingsDto {
  @ApiProperty({ description: 'Sync the source every `syncFrequencyMinutes` in the background', example: true })
  @IsBoolean()
  autoSync: boolean;

  @ApiPropertyOptional({
    type: 'integer',
    nullable: true,
    minimum: MIN_SYNC_FREQUENCY_MINUTES,
    maximum: MAX_SYNC_FREQUENCY_MINUTES,
    example: 15,
    description: 'Minutes between background runs (5 min to 24 h); required with autoSync, null for none',
  })
  @ValidateIf(
    (dto: UpdateSourceSyncSettingsDto) =>
      dto.autoSync === true || (dto.syncFrequencyMinutes !== null && dto.syncFrequencyMinutes !== undefined),
  )
  @IsInt()
  @Min(MIN_SYNC_FREQUENCY_MINUTES)
  @Max(MAX_SYNC_FREQUENCY_MINUTES)
  syncFrequencyMinutes?: number | null;
}

export class SourceSyncSettingsDto {
  @ApiProperty({ example: true })
  autoSync: boolean;

  @ApiProperty({ type: 'integer', nullable: true, example: 15 })
  syncFrequencyMinutes: number | null;

  @ApiPropertyOptional({ type: String, format: 'date-time', nullable: true, description: 'When the next background run is due (autoSync)' })
  nextRunAt: Date | null;
}
