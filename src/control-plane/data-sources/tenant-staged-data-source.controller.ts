import { Body, Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { ConfigureDataSourceDto } from './dto/configure-data-source.dto';
import { DataSourceMappingsDto } from './dto/data-source-mappings.dto';
import { DataSourceDto } from './dto/data-source.dto';
import { StagedDataSourceDto, StagedDataSourceTestDto } from './dto/staged-data-source.dto';
import { StagedDataSourcesService } from './staged-data-sources.service';
import {
  DISCARD_STAGED,
  GET_STAGED,
  MAPPINGS_NOT_FITTING,
  MAP_STAGED,
  SOURCE_UNREACHABLE,
  STAGE,
  SWITCH,
  SWITCH_REFUSED,
  TEST_STAGED,
} from './staged-data-source.docs';
import { OutsideTenantStorage } from '../../platform/access/outside-tenant-storage.decorator';

/** The same move to a new source as /control/tenants/:id/data-source/staged, by the tenant's own admin, for its own tenant. */
@OutsideTenantStorage()
@ApiTags('api: tenant data source (byod)')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No data source, or (except PUT) nothing staged' })
@ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is not placed `byod`' })
@Controller('api/tenant/data-source/staged')
export class TenantStagedDataSourceController {
  constructor(
    private readonly staged: StagedDataSourcesService,
    private readonly context: TenantContext,
  ) {}

  @Put()
  @TenantPermission('data_source.manage')
  @ApiOperation(STAGE)
  @ApiOkResponse({ type: StagedDataSourceDto })
  stage(@Body() dto: ConfigureDataSourceDto): Promise<StagedDataSourceDto> {
    return this.staged.stage(this.tenantId(), dto);
  }

  @Get()
  @TenantPermission('data_source.manage')
  @ApiOperation(GET_STAGED)
  @ApiOkResponse({ type: StagedDataSourceDto })
  get(): Promise<StagedDataSourceDto> {
    return this.staged.get(this.tenantId());
  }

  @Post('test')
  @HttpCode(200)
  @TenantPermission('data_source.manage')
  @ApiOperation(TEST_STAGED)
  @ApiOkResponse({ type: StagedDataSourceTestDto })
  @ApiUnprocessableEntityResponse(SOURCE_UNREACHABLE)
  test(): Promise<StagedDataSourceTestDto> {
    return this.staged.test(this.tenantId());
  }

  @Put('mappings')
  @TenantPermission('data_source.manage')
  @ApiOperation(MAP_STAGED)
  @ApiOkResponse({ type: StagedDataSourceDto })
  @ApiUnprocessableEntityResponse(MAPPINGS_NOT_FITTING)
  setMappings(@Body() dto: DataSourceMappingsDto): Promise<StagedDataSourceDto> {
    return this.staged.setMappings(this.tenantId(), dto);
  }

  @Delete()
  @HttpCode(204)
  @TenantPermission('data_source.manage')
  @ApiOperation(DISCARD_STAGED)
  @ApiNoContentResponse({ description: 'Discarded' })
  discard(): Promise<void> {
    return this.staged.discard(this.tenantId());
  }

  @Post('switch')
  @HttpCode(200)
  @TenantPermission('data_source.manage')
  @ApiOperation(SWITCH)
  @ApiOkResponse({ type: DataSourceDto, description: 'The data source as it is now: the staged settings, active' })
  @ApiConflictResponse(SWITCH_REFUSED)
  switch(): Promise<DataSourceDto> {
    return this.staged.switch(this.tenantId());
  }

  private tenantId(): string {
    return this.context.require().id;
  }
}
