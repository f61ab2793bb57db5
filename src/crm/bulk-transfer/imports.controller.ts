import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiRequestTimeoutResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { TenantPermission } from '../../platform/access/access.decorators';
import { ApiThrottled } from '../../platform/errors/api-throttled.decorator';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { ImportDto, ImportErrorPageDto, ImportErrorsQueryDto, StartImportQueryDto } from './dto/import.dto';
import { ImportsService } from './imports.service';
import { IMPORT_MEDIA_TYPES } from './import-upload-parser';

@ApiTags('api: imports')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid parameters; `details` names them' })
@Controller('api/imports')
export class ImportsController {
  constructor(private readonly imports: ImportsService) {}

  @Post()
  @HttpCode(202)
  @TenantPermission('imports.run')
  @ApiOperation({
    summary: 'Import accounts, contacts or inventory items from a CSV or NDJSON file (the request body), as a queued job',
    description:
      'Every row is checked with the rules of the entity’s create route (custom fields, the tenant’s field rules, owners, maxContacts); ' +
      'rows are matched to live records by `externalKey`, so running a file again changes what changed and creates nothing twice. ' +
      'The caller needs the entity’s write permission. Follow the job with GET /api/imports/{id}.',
  })
  @ApiConsumes(...IMPORT_MEDIA_TYPES)
  @ApiBody({ schema: { type: 'string', format: 'binary' }, description: 'The file, at most IMPORT_MAX_BYTES' })
  @ApiAcceptedResponse({ type: ImportDto, description: 'The file is stored and its job queued' })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'all_or_nothing for a tenant whose data lives in its own system' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'The file is larger than IMPORT_MAX_BYTES; nothing is kept' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'The body is not text/csv or application/x-ndjson' })
  @ApiRequestTimeoutResponse({
    type: ErrorResponseDto,
    description: 'Nothing of the file arrived for 30 s, or all of it not within IMPORT_UPLOAD_TIMEOUT_SECONDS: cut off, nothing kept',
  })
  @ApiThrottled('This tenant’s uploads hold its share of this instance’s upload slots already (half of them)')
  @ApiServiceUnavailableResponse({
    type: ErrorResponseDto,
    description: 'Half of this instance’s request connections carry uploads already: retry after `Retry-After` seconds',
  })
  start(@Query() query: StartImportQueryDto, @Req() request: FastifyRequest): Promise<ImportDto> {
    const length = request.headers['content-length'];
    return this.imports.start(query, request.body, length === undefined ? undefined : Number(length));
  }

  @Get(':id')
  @TenantPermission('imports.run')
  @ApiOperation({ summary: 'An import’s status and progress: rows read, written and failed' })
  @ApiOkResponse({ type: ImportDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such import of this tenant' })
  get(@Param('id', ParseUUIDPipe) id: string): Promise<ImportDto> {
    return this.imports.get(id);
  }

  @Get(':id/errors')
  @TenantPermission('imports.run')
  @ApiOperation({ summary: 'The import’s per-row error report (row, field, message), in row order, cursor-paged' })
  @ApiOkResponse({ type: ImportErrorPageDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such import of this tenant' })
  errors(@Param('id', ParseUUIDPipe) id: string, @Query() query: ImportErrorsQueryDto): Promise<ImportErrorPageDto> {
    return this.imports.errors(id, query);
  }
}
