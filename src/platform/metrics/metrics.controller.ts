import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { Public } from '../access/access.decorators';
import { ErrorResponseDto } from '../errors/error-response.dto';
import { AppMetrics } from './app-metrics';
import { MetricsAccessGuard } from './metrics-access.guard';

@ApiTags('health')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: AppMetrics) {}

  @Get()
  @UseGuards(MetricsAccessGuard)
  @Header('cache-control', 'no-store')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary: 'Prometheus metrics of this process',
    description:
      'The Prometheus text format. With METRICS_TOKEN set, send it as a bearer token; without it, only loopback clients are answered ' +
      '(others get 404). Every metric is prefixed `tenantry_`; labels never carry a tenant id.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'The metrics, in the Prometheus text exposition format', schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'METRICS_TOKEN is set and was not sent' })
  @ApiNotFoundResponse({
    type: ErrorResponseDto,
    description: 'METRICS=false, or no METRICS_TOKEN is set and the client is not on loopback',
  })
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
