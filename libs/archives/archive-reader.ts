import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { extract } from 'tar';
import { ARCHIVE_FORMAT_VERSION, ArchivedTable, ArchiveManifest, MANIFEST_FILE } from './archive-manifest';

/** The archive cannot be restored as it is (damaged, or of a format this build does not read). */
export class UnreadableArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableArchiveError';
  }
}

/** An archive unpacked into a working directory, each table file checked against its manifest entry. */
export class OpenedArchive {
  private constructor(
    readonly manifest: ArchiveManifest,
    private readonly directory: string,
  ) {}

  /**
   * Unpacks `file` (a stream, to disk) under `workRoot` and checks the manifest's format and every
   * table file's sha256 and row count. Close it to remove the unpacked files.
   */
  static async open(file: string, workRoot: string): Promise<OpenedArchive> {
    const directory = await mkdtemp(join(workRoot, '.reading-'));
    try {
      // Only the files an archive holds; no links, so nothing lands outside the directory.
      await extract({ file, cwd: directory, strict: true, filter: (_path, entry) => !('type' in entry) || entry.type === 'File' });
      const manifest = JSON.parse(await readFile(join(directory, MANIFEST_FILE), 'utf8')) as ArchiveManifest;
      if (manifest.formatVersion !== ARCHIVE_FORMAT_VERSION) {
        throw new UnreadableArchiveError(
          `Archive format ${manifest.formatVersion} is not one this version reads (${ARCHIVE_FORMAT_VERSION})`,
        );
      }
      const archive = new OpenedArchive(manifest, directory);
      for (const table of manifest.tables) await archive.verify(table);
      return archive;
    } catch (error) {
      await rm(directory, { recursive: true, force: true });
      if (error instanceof UnreadableArchiveError) throw error;
      throw new UnreadableArchiveError(`The archive cannot be read: ${(error as Error).message}`);
    }
  }

  /** The table's lines (JSON objects), streamed from its file. */
  async *lines(table: ArchivedTable): AsyncGenerator<string> {
    const input = createInterface({ input: createReadStream(this.pathOf(table)), crlfDelay: Infinity });
    for await (const line of input) if (line !== '') yield line;
  }

  async close(): Promise<void> {
    await rm(this.directory, { recursive: true, force: true });
  }

  private pathOf(table: ArchivedTable): string {
    if (!/^tables\/[a-z_][a-z0-9_]*\.ndjson$/.test(table.file)) throw new UnreadableArchiveError(`Unexpected table file ${table.file}`);
    return join(this.directory, table.file);
  }

  private async verify(table: ArchivedTable): Promise<void> {
    const hash = createHash('sha256');
    let rows = 0;
    for await (const chunk of createReadStream(this.pathOf(table))) {
      hash.update(chunk as Buffer);
      for (const byte of chunk as Buffer) if (byte === 0x0a) rows += 1;
    }
    if (hash.digest('hex') !== table.sha256 || rows !== table.rows) {
      throw new UnreadableArchiveError(`Table ${table.name} does not match the manifest's checksum or row count`);
    }
  }
}
