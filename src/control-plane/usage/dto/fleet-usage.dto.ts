import { ApiProperty } from '@nestjs/swagger';
import { PageDtoOf } from '../../../platform/pagination/page.dto';
import { PLACEMENTS, Placement } from '../../schema/tenant.entity';
import { FleetUsageRow } from '../usage-store';
import { UsageDayDto } from './usage-day.dto';

/** One tenant's usage on the fleet view's day. */
export class FleetUsageDto extends UsageDayDto {
  @ApiProperty({ format: 'uuid' })
  tenantId: string;

  @ApiProperty()
  slug: string;

  @ApiProperty({ enum: PLACEMENTS })
  placement: Placement;

  static fromRow(row: FleetUsageRow): FleetUsageDto {
    return { ...UsageDayDto.from(row), tenantId: row.tenantId, slug: row.slug, placement: row.placement as Placement };
  }
}

export class FleetUsagePageDto extends PageDtoOf(FleetUsageDto, 'Tenants with usage recorded that day, sorted by the chosen measure') {}
