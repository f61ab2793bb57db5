import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlatformAdmin, TenantAdministration } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { OverrideTenantRateLimitsDto, TenantRateLimitsDto } from './dto/tenant-rate-limits.dto';
import { TenantRateLimitOverrides } from './tenant-rate-limit-overrides.service';

@ApiTags('control: tenants')
@Controller('control/tenants/:id/rate-limits')
export class TenantRateLimitsController {
  constructor(private readonly overrides: TenantRateLimitOverrides) {}

  @Get()
  @TenantAdministration('id')
  @ApiOperation({ summary: 'A tenant’s request rate limits on /api: its plan’s, the override, and the effective ones' })
  @ApiOkResponse({ type: TenantRateLimitsDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<TenantRateLimitsDto> {
    return this.overrides.get(id);
  }

  @Put()
  @PlatformAdmin()
  @ApiOperation({
    summary: 'Override a tenant’s request rate limits (null: back to the plan’s)',
    description: 'Applies at once on every app process; counts already made in the current minute are kept. Audited.',
  })
  @ApiOkResponse({ type: TenantRateLimitsDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  override(@Param('id', ParseUUIDPipe) id: string, @Body() dto: OverrideTenantRateLimitsDto): Promise<TenantRateLimitsDto> {
    return this.overrides.override(id, dto);
  }
}
