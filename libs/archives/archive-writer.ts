import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { create } from 'tar';
import { QueryRunner } from 'typeorm';
import { ARCHIVE_FORMAT_VERSION, ArchivedTable, ArchiveManifest, MANIFEST_FILE, tableFile } from './archive-manifest';
import { exportTable } from './table-export';
import { readTenantTableLayout } from '../tenancy/tenant-tables';

export interface WrittenArchive {
  manifest: ArchiveManifest;
  /** Size of the .tar.gz in bytes. */
  bytes: number;
  sha256: string;
}

/**
 * Writes every tenant table of the bound tenant to `destination` as a .tar.gz: `manifest.json`
 * and one NDJSON file per table. Rows go to files in a working directory beside the destination
 * (a table at a time, through a cursor), which are then packed as a stream, so memory stays flat
 * whatever the tenant's size. `destination` should be a name of the writer's own: the caller
 * moves the finished file to where readers look for it.
 * `runner` must be in a transaction bound to the tenant; a REPEATABLE READ one makes the tables
 * one consistent snapshot.
 */
export async function writeTenantArchive(
  runner: QueryRunner,
  source: { tenantId: string; schemaVersion: string },
  destination: string,
  signal?: AbortSignal,
): Promise<WrittenArchive> {
  await mkdir(dirname(destination), { recursive: true });
  const work = await mkdtemp(join(dirname(destination), '.writing-'));
  try {
    await mkdir(join(work, 'tables'));
    const layout = await readTenantTableLayout(runner);
    const tables: ArchivedTable[] = [];
    for (const table of layout.tables) {
      const file = tableFile(table.name);
      tables.push({ name: table.name, file, ...(await exportTable(runner, table, join(work, file), signal)) });
    }
    const manifest: ArchiveManifest = {
      formatVersion: ARCHIVE_FORMAT_VERSION,
      schemaVersion: source.schemaVersion,
      tenantId: source.tenantId,
      createdAt: new Date().toISOString(),
      tables,
    };
    await writeFile(join(work, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    // portable: no owner names or uids of this machine in the archive.
    await create({ gzip: true, file: destination, cwd: work, portable: true }, [MANIFEST_FILE, ...tables.map((table) => table.file)]);
    return { manifest, bytes: (await stat(destination)).size, sha256: await sha256Of(destination) };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}
