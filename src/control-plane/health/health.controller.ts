import { Controller, Get } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../../platform/access/access.decorators';
import { HealthCheckResultDto, HealthIndicatorDto } from './dto/health-check-result.dto';
import { TenancyHealthIndicator } from './tenancy.health';

@ApiTags('health')
@ApiExtraModels(HealthIndicatorDto)
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly tenancy: TenancyHealthIndicator,
  ) {}

  @Get()
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({ summary: 'Liveness: the process is up' })
  @ApiOkResponse({ type: HealthCheckResultDto, description: 'The process is up' })
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness: the control-plane database answers; with tenant connection and cache figures',
    description:
      '`tenantConnections` has the registry figures, per server (`servers`: connections reserved, cap, waits, timeouts) and the ' +
      "live processes with this process's share of each server's declared connection budget (`shares`)",
  })
  @ApiOkResponse({ type: HealthCheckResultDto, description: 'Every dependency answers' })
  @ApiServiceUnavailableResponse({ type: HealthCheckResultDto, description: 'A dependency is down' })
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.database.pingCheck('controlPlaneDatabase', { timeout: 2_000 }), () => this.tenancy.check()]);
  }
}
