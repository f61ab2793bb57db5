import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { PlatformAdmin } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { DataSourcesService } from './data-sources.service';
import { ConfigureDataSourceDto, RestConnectionDto, SqlConnectionDto } from './dto/configure-data-source.dto';
import { DataSourceMappingsDto } from './dto/data-source-mappings.dto';
import { DataSourceDto, DataSourceTestDto } from './dto/data-source.dto';

@ApiTags('control: tenant data sources (byod)')
@PlatformAdmin()
@ApiExtraModels(SqlConnectionDto, RestConnectionDto)
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such tenant, or it has no data source yet' })
@ApiConflictResponse({ type: ErrorResponseDto, description: 'The tenant is not placed `byod`' })
@Controller('control/tenants/:id/data-source')
export class DataSourcesController {
  constructor(private readonly sources: DataSourcesService) {}

  @Put()
  @ApiOperation({
    summary: "Set a byod tenant's data source (PostgreSQL, MySQL/MariaDB or REST)",
    description:
      'Stored encrypted; answered without any secret. New settings go back to status `configured`: test again before activating. To replace an active source without downtime, stage the new settings instead (PUT …/data-source/staged).',
  })
  @ApiOkResponse({ type: DataSourceDto })
  configure(@Param('id', ParseUUIDPipe) id: string, @Body() dto: ConfigureDataSourceDto): Promise<DataSourceDto> {
    return this.sources.configure(id, dto);
  }

  @Get()
  @ApiOperation({ summary: "A byod tenant's data source, its last introspection and mappings (no secrets)" })
  @ApiOkResponse({ type: DataSourceDto })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<DataSourceDto> {
    return this.sources.get(id);
  }

  @Post('test')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Connect (short timeouts) and introspect the tables and columns; status becomes `tested`',
    description:
      'Hosts resolving to loopback, private or link-local addresses are refused unless BYOD_ALLOW_PRIVATE_NETWORKS; metadata addresses always.',
  })
  @ApiOkResponse({ type: DataSourceTestDto })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'The source cannot be reached or read; the message names the problem (never a secret)',
    example: {
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'Cannot introspect MySQL at db.customer.example:3306, database "crm" as "crm_reader": Access denied for user …',
    },
  })
  test(@Param('id', ParseUUIDPipe) id: string): Promise<DataSourceTestDto> {
    return this.sources.test(id);
  }

  @Put('mappings')
  @ApiOperation({
    summary: 'Map our entities (inventory_item, contact, account) onto tables and columns the last test found',
    description:
      'Nothing is stored unless every mapping fits: unknown tables and columns, incompatible types, unmapped required fields, incomplete value maps and columns mapped twice are each named.',
  })
  @ApiOkResponse({ type: DataSourceDto })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: '`details` names each problem',
    example: {
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'The mappings do not fit the source: …',
      details: [
        {
          field: 'mappings.inventory_item.fields.stock_on_hand',
          problems: ['column "model_name" is text (varchar(100)); this field needs integer'],
        },
      ],
    },
  })
  setMappings(@Param('id', ParseUUIDPipe) id: string, @Body() dto: DataSourceMappingsDto): Promise<DataSourceDto> {
    return this.sources.setMappings(id, dto);
  }

  @Post('activate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Activate a tested data source with valid mappings' })
  @ApiOkResponse({ type: DataSourceDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'Not tested, no mappings, mappings no longer fitting, or not a byod tenant; the message names what is missing',
  })
  activate(@Param('id', ParseUUIDPipe) id: string): Promise<DataSourceDto> {
    return this.sources.activate(id);
  }
}
