import { Body, Controller, Get, Param, Patch } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PlatformAdmin, TenantAdministration } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { PlanDto, UpdatePlanDto } from './dto/plan.dto';
import { PlansService } from './plans.service';

@ApiTags('control: plans')
@Controller('control/plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Get()
  @TenantAdministration()
  @ApiOperation({ summary: 'List plans with their quotas and modules' })
  @ApiOkResponse({ type: [PlanDto] })
  list(): Promise<PlanDto[]> {
    return this.plans.list();
  }

  @Get(':name')
  @TenantAdministration()
  @ApiOperation({ summary: 'Get a plan' })
  @ApiOkResponse({ type: PlanDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('name') name: string): Promise<PlanDto> {
    return this.plans.get(name);
  }

  @Patch(':name')
  @PlatformAdmin()
  @ApiOperation({ summary: 'Change a plan’s quotas, modules or default placement (null quota: unlimited)' })
  @ApiOkResponse({ type: PlanDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  update(@Param('name') name: string, @Body() dto: UpdatePlanDto): Promise<PlanDto> {
    return this.plans.update(name, dto);
  }
}
