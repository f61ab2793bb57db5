import { Readable } from 'node:stream';

/** A local file holding an archive, for as long as the holder needs it. */
export interface LocalArchiveFile {
  path: string;
  release(): Promise<void>;
}

/** Where finished archives are kept (ArchiveStorage picks one): a local directory or an S3-compatible bucket. */
export interface ArchiveStore {
  /** Keeps the finished local file `localFile` as `name`; the local file is gone afterwards. */
  put(localFile: string, name: string): Promise<void>;
  exists(name: string): Promise<boolean>;
  read(name: string): Promise<Readable>;
  /** The archive as a local file (in `workDirectory` if it has to be fetched). */
  localCopy(name: string, workDirectory: string): Promise<LocalArchiveFile>;
  remove(name: string): Promise<void>;
}
