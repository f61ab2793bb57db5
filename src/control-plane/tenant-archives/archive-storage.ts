import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { AppConfig } from '../../platform/config/app-config';
import { ArchiveStore, LocalArchiveFile } from './archive-store';
import { LocalArchiveStore } from './local-archive-store';
import { S3ArchiveStore } from './s3-archive-store';

/**
 * Where archives are kept: a local directory (ARCHIVE_DIR), or an S3-compatible bucket
 * (ARCHIVE_S3_BUCKET), with ARCHIVE_DIR then only staging what is written and unpacking what is
 * restored. An archive's name is relative to either and made by this application only
 * (`<tenant id>/<archive id>.tar.gz`), never taken from a request.
 */
@Injectable()
export class ArchiveStorage {
  private readonly root: string;
  private readonly store: ArchiveStore;
  /** Where archives are kept, as an operator would name it (for logs). */
  readonly location: string;

  constructor(config: ConfigService<AppConfig, true>) {
    const { directory, s3 } = config.get('archives', { infer: true });
    this.root = isAbsolute(directory) ? directory : resolve(directory);
    this.store = s3 ? new S3ArchiveStore(s3) : new LocalArchiveStore(this.root);
    this.location = s3 ? `s3://${s3.bucket}/${s3.prefix}` : this.root;
  }

  nameFor(tenantId: string, archiveId: string): string {
    return `${tenantId}/${archiveId}.tar.gz`;
  }

  /** A local path of this attempt's own to write the archive `name` to before it is kept (`put`). */
  async stagingPath(name: string, attemptToken: number): Promise<string> {
    const path = `${join(this.root, name)}.${attemptToken}.partial`;
    await mkdir(dirname(path), { recursive: true });
    return path;
  }

  /** A working directory for unpacking, on the same file system as the staged archives. */
  async workDirectory(): Promise<string> {
    await mkdir(this.root, { recursive: true });
    return this.root;
  }

  put(stagedFile: string, name: string): Promise<void> {
    return this.store.put(stagedFile, name);
  }

  exists(name: string): Promise<boolean> {
    return this.store.exists(name);
  }

  read(name: string): Promise<Readable> {
    return this.store.read(name);
  }

  async localCopy(name: string): Promise<LocalArchiveFile> {
    return this.store.localCopy(name, await this.workDirectory());
  }

  remove(name: string): Promise<void> {
    return this.store.remove(name);
  }
}
