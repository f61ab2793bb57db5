import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
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
import { PlatformAdmin } from '../../platform/access/access.decorators';
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

/** A byod tenant's move to a new source without downtime, by a platform admin: stage, test, map, switch. */
@ApiTags('control: tenant data sources (byod)')
@PlatformAdmin()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such tenant, no data source, or (except PUT) nothing staged' })
@ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is not placed `byod`' })
@Controller('control/tenants/:id/data-source/staged')
export class StagedDataSourceController {
  constructor(private readonly staged: StagedDataSourcesService) {}

  @Put()
  @ApiOperation(STAGE)
  @ApiOkResponse({ type: StagedDataSourceDto })
  stage(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ConfigureDataSourceDto): Promise<StagedDataSourceDto> {
    return this.staged.stage(id, dto);
  }

  @Get()
  @ApiOperation(GET_STAGED)
  @ApiOkResponse({ type: StagedDataSourceDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<StagedDataSourceDto> {
    return this.staged.get(id);
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation(TEST_STAGED)
  @ApiOkResponse({ type: StagedDataSourceTestDto })
  @ApiUnprocessableEntityResponse(SOURCE_UNREACHABLE)
  test(@Param('id', ParseUUIDPipe) id: string): Promise<StagedDataSourceTestDto> {
    return this.staged.test(id);
  }

  @Put('mappings')
  @ApiOperation(MAP_STAGED)
  @ApiOkResponse({ type: StagedDataSourceDto })
  @ApiUnprocessableEntityResponse(MAPPINGS_NOT_FITTING)
  setMappings(@Param('id', ParseUUIDPipe) id: string, @Body() dto: DataSourceMappingsDto): Promise<StagedDataSourceDto> {
    return this.staged.setMappings(id, dto);
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation(DISCARD_STAGED)
  @ApiNoContentResponse({ description: 'Discarded' })
  discard(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.staged.discard(id);
  }

  @Post('switch')
  @HttpCode(200)
  @ApiOperation(SWITCH)
  @ApiOkResponse({ type: DataSourceDto, description: 'The data source as it is now: the staged settings, active' })
  @ApiConflictResponse(SWITCH_REFUSED)
  switch(@Param('id', ParseUUIDPipe) id: string): Promise<DataSourceDto> {
    return this.staged.switch(id);
  }
}
