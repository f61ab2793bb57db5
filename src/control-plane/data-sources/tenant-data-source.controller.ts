import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { DataSourcesService } from './data-sources.service';
import { ConfigureDataSourceDto } from './dto/configure-data-source.dto';
import { DataSourceMappingsDto } from './dto/data-source-mappings.dto';
import { DataSourceDto, DataSourceTestDto } from './dto/data-source.dto';
import { OutsideTenantStorage } from '../../platform/access/outside-tenant-storage.decorator';

/** The same onboarding as /control/tenants/:id/data-source, by the tenant's own admin, for its own tenant. */
@OutsideTenantStorage()
@ApiTags('api: tenant data source (byod)')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No data source set yet' })
@ApiConflictResponse({
  type: ErrorResponseDto,
  description: 'The tenant is not placed `byod`, or not ready to activate (the message says what is missing)',
})
@Controller('api/tenant/data-source')
export class TenantDataSourceController {
  constructor(
    private readonly sources: DataSourcesService,
    private readonly context: TenantContext,
  ) {}

  @Put()
  @TenantPermission('data_source.manage')
  @ApiOperation({
    summary: 'Set this tenant’s own database or API (stored encrypted, answered without secrets)',
    description:
      'New settings go back to status `configured`. To replace an active source without downtime, stage the new settings instead (PUT …/data-source/staged).',
  })
  @ApiOkResponse({ type: DataSourceDto })
  configure(@Body() dto: ConfigureDataSourceDto): Promise<DataSourceDto> {
    return this.sources.configure(this.tenantId(), dto);
  }

  @Get()
  @TenantPermission('data_source.manage')
  @ApiOperation({ summary: 'This tenant’s data source, its last introspection and mappings (no secrets)' })
  @ApiOkResponse({ type: DataSourceDto })
  get(): Promise<DataSourceDto> {
    return this.sources.get(this.tenantId());
  }

  @Post('test')
  @HttpCode(200)
  @TenantPermission('data_source.manage')
  @ApiOperation({ summary: 'Connect and introspect; status becomes `tested`' })
  @ApiOkResponse({ type: DataSourceTestDto })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'The source cannot be reached or read; the message names the problem (never a secret)',
  })
  test(): Promise<DataSourceTestDto> {
    return this.sources.test(this.tenantId());
  }

  @Put('mappings')
  @TenantPermission('data_source.manage')
  @ApiOperation({ summary: 'Map our entities onto the tables and columns the last test found' })
  @ApiOkResponse({ type: DataSourceDto })
  @ApiUnprocessableEntityResponse({ type: ErrorResponseDto, description: '`details` names each problem' })
  setMappings(@Body() dto: DataSourceMappingsDto): Promise<DataSourceDto> {
    return this.sources.setMappings(this.tenantId(), dto);
  }

  @Post('activate')
  @HttpCode(200)
  @TenantPermission('data_source.manage')
  @ApiOperation({ summary: 'Activate a tested data source with valid mappings' })
  @ApiOkResponse({ type: DataSourceDto })
  activate(): Promise<DataSourceDto> {
    return this.sources.activate(this.tenantId());
  }

  private tenantId(): string {
    return this.context.require().id;
  }
}
