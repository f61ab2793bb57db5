import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { PlatformAdmin } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { Page } from '../../platform/pagination/cursor-pagination';
import { ListSourceSyncRunsQueryDto, SourceSyncRunDto, SourceSyncRunPageDto } from './dto/source-sync-run.dto';
import { SourceSyncSettingsDto, UpdateSourceSyncSettingsDto } from './dto/source-sync-settings.dto';
import { SOURCE_SYNC_DOCS } from './source-sync.docs';
import { SourceSyncRuns } from './source-sync-runs.service';
import { SourceSyncSettings } from './source-sync-settings.service';

@ApiTags('control: tenant data sources (byod)')
@PlatformAdmin()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such tenant, or it has no data source yet' })
@ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is not placed `byod`, or (sync) its source is not active' })
@Controller('control/tenants/:id/data-source')
export class SourceSyncController {
  constructor(
    private readonly settings: SourceSyncSettings,
    private readonly runs: SourceSyncRuns,
  ) {}

  @Get('sync-settings')
  @ApiOperation(SOURCE_SYNC_DOCS.getSettings)
  @ApiOkResponse({ type: SourceSyncSettingsDto })
  getSettings(@Param('id', ParseUUIDPipe) id: string): Promise<SourceSyncSettingsDto> {
    return this.settings.get(id);
  }

  @Put('sync-settings')
  @ApiOperation(SOURCE_SYNC_DOCS.setSettings)
  @ApiOkResponse({ type: SourceSyncSettingsDto })
  setSettings(@Param('id', ParseUUIDPipe) id: string, @Body() dto: UpdateSourceSyncSettingsDto): Promise<SourceSyncSettingsDto> {
    return this.settings.set(id, dto);
  }

  @Post('sync')
  @HttpCode(202)
  @ApiOperation(SOURCE_SYNC_DOCS.syncNow)
  @ApiAcceptedResponse({ type: SourceSyncRunDto })
  syncNow(@Param('id', ParseUUIDPipe) id: string): Promise<SourceSyncRunDto> {
    return this.runs.syncNow(id);
  }

  @Get('sync/runs')
  @ApiOperation(SOURCE_SYNC_DOCS.history)
  @ApiOkResponse({ type: SourceSyncRunPageDto })
  history(@Param('id', ParseUUIDPipe) id: string, @Query() query: ListSourceSyncRunsQueryDto): Promise<Page<SourceSyncRunDto>> {
    return this.runs.history(id, query);
  }
}
