/** The layout of an archive's files; a reader refuses versions it does not know. */
export const ARCHIVE_FORMAT_VERSION = 1;

export const MANIFEST_FILE = 'manifest.json';

/** Where a table's rows are in an archive: one JSON object per line, without tenant_id. */
export const tableFile = (table: string) => `tables/${table}.ndjson`;

export interface ArchivedTable {
  name: string;
  file: string;
  /** The columns the lines carry (tenant_id is left out: it is the archive's tenant, rewritten on restore). */
  columns: string[];
  rows: number;
  bytes: number;
  /** sha256 of the table file, hex. */
  sha256: string;
}

export interface ArchiveManifest {
  formatVersion: number;
  /** The tenant schema the rows were read from: the name of the last tenant migration applied to its database. */
  schemaVersion: string;
  tenantId: string;
  createdAt: string;
  /** Parents before the tables that refer to them. */
  tables: ArchivedTable[];
}
