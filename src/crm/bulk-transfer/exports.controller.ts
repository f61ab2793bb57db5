import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { TenantModule, TenantPermission } from '../../platform/access/access.decorators';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { ServedFromTenantSystem } from '../mapped-sources/byod-answers.openapi';
import { ExportQueryDto } from './dto/import.dto';
import { ExportsService } from './exports.service';
import { TransferEntityName } from './transfer-entities';

const MEDIA_TYPE = { csv: 'text/csv; charset=utf-8', ndjson: 'application/x-ndjson; charset=utf-8' } as const;

const EXPORT_ANSWER = {
  description:
    'Every live record, streamed: CSV with a header row (custom fields as `customFields.<key>` columns), or one JSON object a line as the API answers records',
  content: { 'text/csv': { schema: { type: 'string' } }, 'application/x-ndjson': { schema: { type: 'string' } } },
};

@ApiTags('api: exports')
@ServedFromTenantSystem()
@ApiProduces('text/csv', 'application/x-ndjson')
@ApiNotFoundResponse({ type: ErrorResponseDto, description: 'Unknown entity' })
@Controller('api/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Get('accounts')
  @TenantModule('accounts')
  @TenantPermission('accounts.read')
  @ApiOperation({ summary: 'Export every account' })
  @ApiOkResponse(EXPORT_ANSWER)
  accounts(@Query() query: ExportQueryDto): Promise<StreamableFile> {
    return this.stream('accounts', query);
  }

  @Get('contacts')
  @TenantModule('contacts')
  @TenantPermission('contacts.read')
  @ApiOperation({ summary: 'Export every contact' })
  @ApiOkResponse(EXPORT_ANSWER)
  contacts(@Query() query: ExportQueryDto): Promise<StreamableFile> {
    return this.stream('contacts', query);
  }

  @Get('inventory-items')
  @TenantModule('inventory')
  @TenantPermission('inventory.read')
  @ApiOperation({ summary: 'Export every stock item' })
  @ApiOkResponse(EXPORT_ANSWER)
  inventoryItems(@Query() query: ExportQueryDto): Promise<StreamableFile> {
    return this.stream('inventory-items', query);
  }

  private async stream(entity: TransferEntityName, query: ExportQueryDto): Promise<StreamableFile> {
    const body = await this.exports.export(entity, query.format);
    return new StreamableFile(body, {
      type: MEDIA_TYPE[query.format],
      disposition: `attachment; filename="${entity}.${query.format === 'csv' ? 'csv' : 'ndjson'}"`,
    });
  }
}
