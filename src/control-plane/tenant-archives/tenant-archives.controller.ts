import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, StreamableFile } from '@nestjs/common';
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
import { archiveFile, ArchiveDownloadResponses } from './archive-download';
import { CursorPaginationQueryDto } from '../../platform/pagination/cursor-pagination';
import { TenantArchiveDto, TenantArchivePageDto } from './dto/tenant-archive.dto';
import { CreateTenantRestoreDto, TenantRestoreDto } from './dto/tenant-restore.dto';
import { TenantArchivesService } from './tenant-archives.service';
import { TenantRestoresService } from './tenant-restores.service';

@ApiTags('control: tenant archives')
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; `details` names the fields' })
@Controller('control/tenants')
export class TenantArchivesController {
  constructor(
    private readonly archives: TenantArchivesService,
    private readonly restores: TenantRestoresService,
  ) {}

  @Post(':id/exports')
  @HttpCode(202)
  @PlatformAdmin()
  @ApiOperation({
    summary: 'Export a tenant’s data to an archive, written in the background',
    description:
      'Answers 202 with the archive `pending`; its job reads every table of the tenant in one snapshot and writes a .tar.gz ' +
      '(manifest, one NDJSON file per table, the data audit included). Watch `GET …/exports/{archiveId}` until `completed`.',
  })
  @ApiAcceptedResponse({ type: TenantArchiveDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'A byod tenant (its data lives in its own system), or one not active or suspended',
  })
  export(@Param('id', ParseUUIDPipe) id: string): Promise<TenantArchiveDto> {
    return this.archives.requestExport(id);
  }

  @Get(':id/exports')
  @PlatformAdmin()
  @ApiOperation({ summary: 'The tenant’s exports, newest first' })
  @ApiOkResponse({ type: TenantArchivePageDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  listExports(@Param('id', ParseUUIDPipe) id: string, @Query() query: CursorPaginationQueryDto): Promise<TenantArchivePageDto> {
    return this.archives.list(id, 'export', query);
  }

  @Get(':id/backups')
  @PlatformAdmin()
  @ApiOperation({
    summary: 'The tenant’s scheduled backups with their size and age, newest first',
    description: 'Plans with `backupSchedule: daily` back their tenants up once a day and keep `backupsKept` of them.',
  })
  @ApiOkResponse({ type: TenantArchivePageDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  listBackups(@Param('id', ParseUUIDPipe) id: string, @Query() query: CursorPaginationQueryDto): Promise<TenantArchivePageDto> {
    return this.archives.list(id, 'backup', query);
  }

  @Get(':id/exports/:archiveId')
  @PlatformAdmin()
  @ApiOperation({ summary: 'One archive of the tenant (an export or a backup)' })
  @ApiOkResponse({ type: TenantArchiveDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  get(@Param('id', ParseUUIDPipe) id: string, @Param('archiveId', ParseUUIDPipe) archiveId: string): Promise<TenantArchiveDto> {
    return this.archives.get(id, archiveId);
  }

  @Get(':id/exports/:archiveId/download')
  @PlatformAdmin()
  @ApiOperation({ summary: 'Download an archive of the tenant (an export or a backup)' })
  @ArchiveDownloadResponses()
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async download(@Param('id', ParseUUIDPipe) id: string, @Param('archiveId', ParseUUIDPipe) archiveId: string): Promise<StreamableFile> {
    return archiveFile(await this.archives.download(id, archiveId));
  }

  @Post('restores')
  @HttpCode(202)
  @PlatformAdmin()
  @ApiOperation({
    summary: 'Restore an archive into a new tenant, or over its own tenant after confirmation',
    description:
      '`into: new` registers `tenant` as `POST /control/tenants` does (any placement but byod) and restores into it once provisioned; ' +
      '`into: same` replaces all data of the archive’s tenant, in one transaction, and needs `confirm` set to its slug. Rows keep their ids ' +
      'and get the target tenant’s id. An archive of an older schema is restored by column name onto the current one. Answers 202; ' +
      'watch `GET /control/tenants/{targetTenantId}/restores/{id}`.',
  })
  @ApiAcceptedResponse({ type: TenantRestoreDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such archive' })
  @ApiConflictResponse({
    type: ErrorResponseDto,
    description: 'The archive is not completed, the tenant cannot be restored over, or the new slug is taken',
  })
  restore(@Body() dto: CreateTenantRestoreDto): Promise<TenantRestoreDto> {
    return this.restores.request(dto);
  }

  @Get(':id/restores/:restoreId')
  @PlatformAdmin()
  @ApiOperation({ summary: 'A restore into the tenant, and how it went' })
  @ApiOkResponse({ type: TenantRestoreDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto, description: 'No such restore into this tenant' })
  getRestore(@Param('id', ParseUUIDPipe) id: string, @Param('restoreId', ParseUUIDPipe) restoreId: string): Promise<TenantRestoreDto> {
    return this.restores.get(id, restoreId);
  }
}
