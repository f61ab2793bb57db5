import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlatformAdmin } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { AlertQueryDto, PlatformAlertDto } from './dto/platform-alert.dto';
import { PlatformAlerts } from './platform-alerts';
import { AlertIdPipe } from './alert-id.pipe';

@ApiTags('control: alerts')
@PlatformAdmin()
@Controller('control/alerts')
export class AlertsController {
  constructor(private readonly alerts: PlatformAlerts) {}

  @Get()
  @ApiOperation({ summary: 'Alerts to platform admins (the alert log), the most recently raised first' })
  @ApiOkResponse({ type: PlatformAlertDto, isArray: true })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  async list(@Query() query: AlertQueryDto): Promise<PlatformAlertDto[]> {
    return (await this.alerts.list(query.open, query.limit)).map((alert) => PlatformAlertDto.from(alert));
  }

  @Post(':id/resolve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Marks an alert as dealt with; it opens again (and is e-mailed again) if it recurs' })
  @ApiOkResponse({ type: PlatformAlertDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async resolve(@Param('id', AlertIdPipe) id: string): Promise<PlatformAlertDto> {
    return PlatformAlertDto.from(await this.alerts.resolve(id));
  }
}
