import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, StreamableFile } from '@nestjs/common';
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
import { OutsideTenantStorage } from '../../platform/access/outside-tenant-storage.decorator';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { archiveFile, ArchiveDownloadResponses } from './archive-download';
import { CursorPaginationQueryDto } from '../../platform/pagination/cursor-pagination';
import { TenantExportDto, TenantExportPageDto, toTenantExportDto } from './dto/tenant-archive.dto';
import { TenantArchivesService } from './tenant-archives.service';

const PLAN_REFUSAL = ' Also when the tenant’s plan does not allow exports (`tenantExportAllowed`).';

/** The signed-in tenant's own exports, where its plan allows them (a 403 otherwise). Backups stay with the platform admins. */
@OutsideTenantStorage()
@ApiTags('api: tenant')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('api/tenant/exports')
export class TenantExportsController {
  constructor(
    private readonly archives: TenantArchivesService,
    private readonly context: TenantContext,
  ) {}

  @Post()
  @HttpCode(202)
  @TenantPermission('data.export')
  @ApiOperation({
    summary: 'Export the tenant’s data to an archive, written in the background',
    description:
      'Answers 202 with the archive `pending`; watch `GET /api/tenant/exports/{id}` until `completed`, then download it.' + PLAN_REFUSAL,
  })
  @ApiAcceptedResponse({ type: TenantExportDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A byod tenant: its data lives in its own system' })
  async export(): Promise<TenantExportDto> {
    const tenantId = this.context.require().id;
    await this.archives.assertTenantExportsAllowed(tenantId);
    return toTenantExportDto(await this.archives.requestExport(tenantId));
  }

  @Get()
  @TenantPermission('data.export')
  @ApiOperation({ summary: 'The tenant’s exports, newest first', description: PLAN_REFUSAL.trim() })
  @ApiOkResponse({ type: TenantExportPageDto })
  async list(@Query() query: CursorPaginationQueryDto): Promise<TenantExportPageDto> {
    const tenantId = this.context.require().id;
    await this.archives.assertTenantExportsAllowed(tenantId);
    const page = await this.archives.list(tenantId, 'export', query);
    return { ...page, items: page.items.map(toTenantExportDto) };
  }

  @Get(':id')
  @TenantPermission('data.export')
  @ApiOperation({ summary: 'One export of the tenant', description: PLAN_REFUSAL.trim() })
  @ApiOkResponse({ type: TenantExportDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such export of this tenant' })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<TenantExportDto> {
    const tenantId = this.context.require().id;
    await this.archives.assertTenantExportsAllowed(tenantId);
    return toTenantExportDto(await this.archives.get(tenantId, id, ['export']));
  }

  @Get(':id/download')
  @TenantPermission('data.export')
  @ApiOperation({ summary: 'Download one of the tenant’s exports', description: PLAN_REFUSAL.trim() })
  @ArchiveDownloadResponses()
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such export of this tenant' })
  async download(@Param('id', ParseUUIDPipe) id: string): Promise<StreamableFile> {
    const tenantId = this.context.require().id;
    await this.archives.assertTenantExportsAllowed(tenantId);
    return archiveFile(await this.archives.download(tenantId, id, ['export']));
  }
}
