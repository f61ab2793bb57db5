import { createReadStream } from 'node:fs';
import { access, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ArchiveStore, LocalArchiveFile } from './archive-store';

/** Archives as files under a local directory (ARCHIVE_DIR): kept by a rename, read where they lie. */
export class LocalArchiveStore implements ArchiveStore {
  constructor(private readonly root: string) {}

  async put(localFile: string, name: string): Promise<void> {
    await rename(localFile, this.pathOf(name));
  }

  exists(name: string): Promise<boolean> {
    return access(this.pathOf(name)).then(
      () => true,
      () => false,
    );
  }

  read(name: string): Promise<Readable> {
    return Promise.resolve(createReadStream(this.pathOf(name)));
  }

  localCopy(name: string): Promise<LocalArchiveFile> {
    return Promise.resolve({ path: this.pathOf(name), release: () => Promise.resolve() });
  }

  async remove(name: string): Promise<void> {
    await rm(this.pathOf(name), { force: true });
  }

  private pathOf(name: string): string {
    return join(this.root, name);
  }
}
