import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { TenantPermission } from '../../platform/access/access.decorators';
import { UsageDayDto } from './dto/usage-day.dto';
import { UsageRangeQueryDto } from './dto/usage-range-query.dto';
import { UsageReports } from './usage-reports.service';

/** The signed-in tenant's own usage, for its admins (as its settings are). */
@ApiTags('api: tenant')
@Controller('api/tenant/usage')
export class TenantUsageController {
  constructor(
    private readonly reports: UsageReports,
    private readonly context: TenantContext,
  ) {}

  @Get()
  @TenantPermission('tenant.manage')
  @ApiOperation({ summary: 'The current tenant’s usage per UTC day: API calls, writes, active users, rows per entity, storage' })
  @ApiOkResponse({ type: [UsageDayDto] })
  days(@Query() query: UsageRangeQueryDto): Promise<UsageDayDto[]> {
    return this.reports.days(this.context.require().id, query);
  }
}
