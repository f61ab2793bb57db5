import { Readable } from 'node:stream';

/** The upload went past its size cap; nothing of it should be kept. */
export class UploadTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The file is larger than the limit of ${limitBytes} bytes`);
    this.name = 'UploadTooLargeError';
  }
}

/** The upload holds a NUL byte, which no text record may carry. */
export class NulInUploadError extends Error {
  constructor(readonly offset: number) {
    super(`The file holds a NUL byte (U+0000) at byte ${offset}`);
    this.name = 'NulInUploadError';
  }
}

/**
 * Re-cuts a stream into chunks of `chunkBytes` (the last one shorter) as it arrives, so a caller
 * can store each before the next is read; throws once more than `limitBytes` came, or a NUL byte.
 */
export async function* uploadChunks(body: Readable, options: { chunkBytes: number; limitBytes: number }): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  for await (const piece of body as AsyncIterable<Buffer | string>) {
    const buffer = typeof piece === 'string' ? Buffer.from(piece) : piece;
    const nul = buffer.indexOf(0);
    if (nul >= 0) throw new NulInUploadError(total + nul);
    total += buffer.length;
    if (total > options.limitBytes) throw new UploadTooLargeError(options.limitBytes);
    pending.push(buffer);
    pendingBytes += buffer.length;
    while (pendingBytes >= options.chunkBytes) {
      const joined = Buffer.concat(pending);
      yield joined.subarray(0, options.chunkBytes);
      const rest = joined.subarray(options.chunkBytes);
      pending = rest.length ? [rest] : [];
      pendingBytes = rest.length;
    }
  }
  if (pendingBytes > 0) yield Buffer.concat(pending);
}
