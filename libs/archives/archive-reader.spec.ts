import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { ARCHIVE_FORMAT_VERSION, ArchiveManifest, MANIFEST_FILE, tableFile } from './archive-manifest';
import { OpenedArchive, UnreadableArchiveError } from './archive-reader';

describe('OpenedArchive', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'archive-reader-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  const lines = '{"id": 1, "title": "first"}\n{"id": 2, "title": "second"}\n';
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  /** Packs an archive of one `notes` table whose file holds `content`, with a manifest describing `described`. */
  async function pack(content: string, described = content, formatVersion = ARCHIVE_FORMAT_VERSION): Promise<string> {
    const source = join(root, 'source');
    await mkdir(join(source, 'tables'), { recursive: true });
    await writeFile(join(source, tableFile('notes')), content);
    const manifest: ArchiveManifest = {
      formatVersion,
      schemaVersion: 'Notes1763880000001',
      tenantId: '00000000-0000-4000-8000-000000000001',
      createdAt: new Date().toISOString(),
      tables: [
        {
          name: 'notes',
          file: tableFile('notes'),
          columns: ['id', 'title'],
          rows: described.split('\n').length - 1,
          bytes: described.length,
          sha256: sha256(described),
        },
      ],
    };
    await writeFile(join(source, MANIFEST_FILE), JSON.stringify(manifest));
    const file = join(root, 'archive.tar.gz');
    await create({ gzip: true, file, cwd: source, portable: true }, [MANIFEST_FILE, tableFile('notes')]);
    return file;
  }

  it('reads back the lines of an archive whose files match its manifest, and removes what it unpacked when closed', async () => {
    const archive = await OpenedArchive.open(await pack(lines), root);
    const read: string[] = [];
    for await (const line of archive.lines(archive.manifest.tables[0])) read.push(line);
    expect(read).toEqual(['{"id": 1, "title": "first"}', '{"id": 2, "title": "second"}']);
    await archive.close();
    expect((await readdir(root)).filter((name) => name.startsWith('.reading-'))).toEqual([]);
  });

  it('refuses an archive whose table file was changed after its manifest was written', async () => {
    const tampered = lines.replace('second', 'altered');
    await expect(OpenedArchive.open(await pack(tampered, lines), root)).rejects.toThrow(UnreadableArchiveError);
  });

  it('refuses an archive of a format version it does not read', async () => {
    await expect(OpenedArchive.open(await pack(lines, lines, 99), root)).rejects.toThrow(
      'Archive format 99 is not one this version reads (1)',
    );
  });
});
