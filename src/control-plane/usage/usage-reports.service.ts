import { BadRequestException, Injectable } from '@nestjs/common';
import { Page } from '../../platform/pagination/cursor-pagination';
import { FleetUsageDto } from './dto/fleet-usage.dto';
import { FleetUsageQueryDto } from './dto/fleet-usage-query.dto';
import { UsageDayDto } from './dto/usage-day.dto';
import { UsageRangeQueryDto } from './dto/usage-range-query.dto';
import { UsageStore } from './usage-store';
import { utcDay } from './utc-day';

const DAY_MS = 86_400_000;
const DEFAULT_RANGE_DAYS = 30;
const MAX_RANGE_DAYS = 366;

/** Usage as the routes answer it: a tenant's days, and the fleet's on one day. */
@Injectable()
export class UsageReports {
  constructor(private readonly store: UsageStore) {}

  async days(tenantId: string, query: UsageRangeQueryDto): Promise<UsageDayDto[]> {
    const to = query.to ?? utcDay();
    const from = query.from ?? utcDay(new Date(Date.parse(to) - DEFAULT_RANGE_DAYS * DAY_MS));
    if (from > to) throw rangeError(`from (${from}) is after to (${to})`);
    if ((Date.parse(to) - Date.parse(from)) / DAY_MS >= MAX_RANGE_DAYS)
      throw rangeError(`from and to span more than ${MAX_RANGE_DAYS} days`);
    return (await this.store.days(tenantId, from, to)).map((row) => UsageDayDto.from(row));
  }

  async fleet(query: FleetUsageQueryDto): Promise<Page<FleetUsageDto>> {
    const page = await this.store.fleet({ ...query, day: query.day ?? utcDay() });
    return { items: page.items.map((row) => FleetUsageDto.fromRow(row)), nextCursor: page.nextCursor };
  }
}

function rangeError(problem: string): BadRequestException {
  return new BadRequestException({ message: `Invalid range: ${problem}`, details: [{ field: 'from', problems: [problem] }] });
}
