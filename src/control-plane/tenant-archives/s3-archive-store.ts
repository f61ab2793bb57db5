import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NotFound, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ArchiveBucket } from '../../platform/config/app-config';
import { ArchiveStore, LocalArchiveFile } from './archive-store';

/**
 * Archives as objects of an S3-compatible bucket (AWS, MinIO, Ceph, R2, …), through the AWS SDK:
 * uploaded in parts as they are read from the staged file (never whole in memory), downloaded as a
 * stream. Checksums are sent only where S3 requires them: several S3-compatible services refuse
 * the SDK's default trailing checksums, and every archive carries its own sha256, checked on restore.
 */
export class S3ArchiveStore implements ArchiveStore {
  private readonly client: S3Client;

  constructor(private readonly bucket: ArchiveBucket) {
    this.client = new S3Client({
      region: bucket.region,
      ...(bucket.endpoint ? { endpoint: bucket.endpoint } : {}),
      forcePathStyle: bucket.forcePathStyle,
      ...(bucket.credentials ? { credentials: bucket.credentials } : {}),
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  async put(localFile: string, name: string): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket.bucket, Key: this.keyOf(name), Body: createReadStream(localFile), ContentType: 'application/gzip' },
    });
    await upload.done();
    await rm(localFile, { force: true });
  }

  async exists(name: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket.bucket, Key: this.keyOf(name) }));
      return true;
    } catch (error) {
      if (error instanceof NotFound) return false;
      throw error;
    }
  }

  async read(name: string): Promise<Readable> {
    const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket.bucket, Key: this.keyOf(name) }));
    return object.Body as Readable;
  }

  async localCopy(name: string, workDirectory: string): Promise<LocalArchiveFile> {
    const path = join(workDirectory, `fetched-${randomUUID()}.tar.gz`);
    try {
      await pipeline(await this.read(name), createWriteStream(path));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return { path, release: () => rm(path, { force: true }) };
  }

  async remove(name: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket.bucket, Key: this.keyOf(name) }));
  }

  private keyOf(name: string): string {
    return `${this.bucket.prefix}${name}`;
  }
}
