import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createReadStream, ReadStream } from 'node:fs';
import { access, mkdir, rm } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { AppConfig } from '../../platform/config/app-config';

/**
 * Where archives are kept: a local directory (ARCHIVE_DIR). An archive's name is relative to it and
 * made by this application only (`<tenant id>/<archive id>.tar.gz`), never taken from a request.
 */
@Injectable()
export class ArchiveStorage {
  readonly root: string;

  constructor(config: ConfigService<AppConfig, true>) {
    const directory = config.get('archives.directory', { infer: true });
    this.root = isAbsolute(directory) ? directory : resolve(directory);
  }

  nameFor(tenantId: string, archiveId: string): string {
    return `${tenantId}/${archiveId}.tar.gz`;
  }

  pathOf(name: string): string {
    return join(this.root, name);
  }

  /** A working directory for unpacking, on the same file system as the archives. */
  async workDirectory(): Promise<string> {
    await mkdir(this.root, { recursive: true });
    return this.root;
  }

  async exists(name: string): Promise<boolean> {
    return access(this.pathOf(name)).then(
      () => true,
      () => false,
    );
  }

  read(name: string): ReadStream {
    return createReadStream(this.pathOf(name));
  }

  async remove(name: string): Promise<void> {
    await rm(this.pathOf(name), { force: true });
  }
}
