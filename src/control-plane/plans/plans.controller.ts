import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PlatformAdmin, TenantAdministration } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { CreatePlanDto, PlanDto, UpdatePlanDto } from './dto/plan.dto';
import { PlansService } from './plans.service';

const APPLIES_AT_ONCE = 'Applies at once on every app process (rate limits and quotas of the plan’s tenants). Audited.';

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

  @Post()
  @PlatformAdmin()
  @ApiOperation({ summary: 'Create a plan (a quota or rate left out: unlimited)', description: 'Audited.' })
  @ApiCreatedResponse({ type: PlanDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A plan of that name exists' })
  create(@Body() dto: CreatePlanDto): Promise<PlanDto> {
    return this.plans.create(dto);
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
  @ApiOperation({
    summary: 'Change a plan’s quotas, rates, modules or default placement (null quota: unlimited)',
    description: APPLIES_AT_ONCE,
  })
  @ApiOkResponse({ type: PlanDto })
  @ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  update(@Param('name') name: string, @Body() dto: UpdatePlanDto): Promise<PlanDto> {
    return this.plans.update(name, dto);
  }

  @Delete(':name')
  @HttpCode(204)
  @PlatformAdmin()
  @ApiOperation({ summary: 'Delete a plan no tenant is on', description: 'Audited.' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Tenants are on the plan (purged tenants included: their records keep it)' })
  delete(@Param('name') name: string): Promise<void> {
    return this.plans.delete(name);
  }
}
