import { StreamableFile } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import { ErrorResponseDto } from '../../platform/errors/error-response.dto';
import { ArchiveDownload } from './tenant-archives.service';

/** The archive file as the response body, streamed from storage. */
export function archiveFile(download: ArchiveDownload): StreamableFile {
  return new StreamableFile(download.stream, {
    type: 'application/gzip',
    disposition: `attachment; filename="${download.fileName}"`,
    length: download.sizeBytes,
  });
}

/** Swagger for a download route: a .tar.gz body, 409 while the archive is not written. */
export const ArchiveDownloadResponses = () =>
  applyDecorators(
    ApiProduces('application/gzip'),
    ApiOkResponse({
      description:
        'The archive (.tar.gz): `manifest.json` (format and schema version, tables, row counts, sha256 of each table file) and `tables/<table>.ndjson`',
      schema: { type: 'string', format: 'binary' },
    }),
    ApiConflictResponse({ type: ErrorResponseDto, description: 'The archive is pending or failed' }),
  );
