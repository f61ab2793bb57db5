import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlatformAdmin } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { TenantLookup } from '../tenants/tenant-lookup.service';
import { FleetUsagePageDto } from './dto/fleet-usage.dto';
import { FleetUsageQueryDto } from './dto/fleet-usage-query.dto';
import { UsageDayDto } from './dto/usage-day.dto';
import { UsageMeasurementQueuedDto } from './dto/usage-measurement-queued.dto';
import { UsageRangeQueryDto } from './dto/usage-range-query.dto';
import { UsageMeasurements } from './usage-measurements.service';
import { UsageReports } from './usage-reports.service';

@ApiTags('control: usage')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('control')
export class UsageController {
  constructor(
    private readonly reports: UsageReports,
    private readonly measurements: UsageMeasurements,
    private readonly tenants: TenantLookup,
  ) {}

  @Get('tenants/:id/usage')
  @PlatformAdmin()
  @ApiOperation({ summary: 'A tenant’s usage per UTC day: API calls, writes, active users, rows per entity, storage' })
  @ApiOkResponse({ type: [UsageDayDto] })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async tenantUsage(@Param('id', ParseUUIDPipe) id: string, @Query() query: UsageRangeQueryDto): Promise<UsageDayDto[]> {
    await this.tenants.find(id);
    return this.reports.days(id, query);
  }

  @Post('tenants/:id/usage/measure')
  @HttpCode(202)
  @PlatformAdmin()
  @ApiOperation({
    summary: 'Measure a tenant’s rows and storage now (as the daily job does)',
    description: 'Answers 202 with the job; today’s usage shows the result (`measuredAt`) once it has run. Audited.',
  })
  @ApiAcceptedResponse({ type: UsageMeasurementQueuedDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  measure(@Param('id', ParseUUIDPipe) id: string): Promise<UsageMeasurementQueuedDto> {
    return this.measurements.request(id);
  }

  @Get('usage')
  @PlatformAdmin()
  @ApiOperation({ summary: 'Every tenant’s usage on one UTC day, sorted by any measure' })
  @ApiOkResponse({ type: FleetUsagePageDto })
  fleet(@Query() query: FleetUsageQueryDto): Promise<FleetUsagePageDto> {
    return this.reports.fleet(query);
  }
}
