import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { TenantContext } from '../../../libs/tenancy/tenant-context';
import { TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { Page } from '../../platform/pagination/cursor-pagination';
import { ListSourceSyncRunsQueryDto, SourceSyncRunDto, SourceSyncRunPageDto } from './dto/source-sync-run.dto';
import { SourceSyncSettingsDto, UpdateSourceSyncSettingsDto } from './dto/source-sync-settings.dto';
import { SOURCE_SYNC_DOCS } from './source-sync.docs';
import { SourceSyncRuns } from './source-sync-runs.service';
import { SourceSyncSettings } from './source-sync-settings.service';

/** The same sync settings, runs and history as /control/tenants/:id/data-source/sync…, by the tenant's own admin. */
@ApiTags('api: tenant data source (byod)')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No data source set yet' })
@ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is not placed `byod`, or (sync) its source is not active' })
@Controller('api/tenant/data-source')
export class TenantSourceSyncController {
  constructor(
    private readonly settings: SourceSyncSettings,
    private readonly runs: SourceSyncRuns,
    private readonly context: TenantContext,
  ) {}

  @Get('sync-settings')
  @TenantPermission('data_source.manage')
  @ApiOperation(SOURCE_SYNC_DOCS.getSettings)
  @ApiOkResponse({ type: SourceSyncSettingsDto })
  getSettings(): Promise<SourceSyncSettingsDto> {
    return this.settings.get(this.tenantId());
  }

  @Put('sync-settings')
  @TenantPermission('data_source.manage')
  @ApiOperation(SOURCE_SYNC_DOCS.setSettings)
  @ApiOkResponse({ type: SourceSyncSettingsDto })
  setSettings(@Body() dto: UpdateSourceSyncSettingsDto): Promise<SourceSyncSettingsDto> {
    return this.settings.set(this.tenantId(), dto);
  }

  @Post('sync')
  @HttpCode(202)
  @TenantPermission('data_source.manage')
  @ApiOperation(SOURCE_SYNC_DOCS.syncNow)
  @ApiAcceptedResponse({ type: SourceSyncRunDto })
  syncNow(): Promise<SourceSyncRunDto> {
    return this.runs.syncNow(this.tenantId());
  }

  @Get('sync/runs')
  @TenantPermission('data_source.manage')
  @ApiOperation(SOURCE_SYNC_DOCS.history)
  @ApiOkResponse({ type: SourceSyncRunPageDto })
  history(@Query() query: ListSourceSyncRunsQueryDto): Promise<Page<SourceSyncRunDto>> {
    return this.runs.history(this.tenantId(), query);
  }

  private tenantId(): string {
    return this.context.require().id;
  }
}
