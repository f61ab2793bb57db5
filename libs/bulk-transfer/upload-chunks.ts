import { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';

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

/** The upload is not UTF-8 text (a spreadsheet's export in Windows-1252, say), which would be read with its letters replaced. */
export class NotUtf8UploadError extends Error {
  constructor(readonly beforeByte: number) {
    super(`The file is not UTF-8 text: byte ${beforeByte}, or one just before it, is no UTF-8 (save the file as UTF-8)`);
    this.name = 'NotUtf8UploadError';
  }
}

/** The sender stopped sending before the upload's end: whatever it holds open (a transaction, say) should be let go. */
export class UploadStalledError extends Error {
  constructor(readonly idleMs: number) {
    super(`Nothing of the file arrived for ${idleMs / 1000} s`);
    this.name = 'UploadStalledError';
  }
}

/** The upload took longer than it is given in all (a sender trickling bytes): whatever it holds open should be let go. */
export class UploadTooSlowError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`The file did not arrive within ${deadlineMs / 1000} s`);
    this.name = 'UploadTooSlowError';
  }
}

/**
 * Re-cuts a stream into chunks of `chunkBytes` (the last one shorter) as it arrives, so a caller
 * can store each before the next is read; throws once more than `limitBytes` came, a NUL byte, bytes that are no UTF-8, or
 * when nothing arrived for `idleMs` while it waited for the sender (the time the caller takes to store a
 * chunk does not count), or when the whole upload has taken `deadlineMs`; the stream is then destroyed.
 */
export async function* uploadChunks(
  body: Readable,
  options: { chunkBytes: number; limitBytes: number; idleMs?: number; deadlineMs?: number },
): AsyncGenerator<Buffer> {
  const stall = stallGuard(body, options.idleMs);
  const deadline =
    options.deadlineMs === undefined
      ? undefined
      : setTimeout(() => body.destroy(new UploadTooSlowError(options.deadlineMs!)), options.deadlineMs);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  // Streaming, so a character cut in two by a piece's end is checked whole with the next piece.
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  try {
    stall.waiting();
    for await (const piece of body as AsyncIterable<Buffer | string>) {
      stall.arrived();
      const buffer = typeof piece === 'string' ? Buffer.from(piece) : piece;
      const nul = buffer.indexOf(0);
      if (nul >= 0) throw new NulInUploadError(total + nul);
      total += buffer.length;
      if (!decodes(utf8, buffer)) throw new NotUtf8UploadError(total);
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
      stall.waiting();
    }
  } finally {
    stall.arrived();
    clearTimeout(deadline);
  }
  if (!decodes(utf8)) throw new NotUtf8UploadError(total);
  if (pendingBytes > 0) yield Buffer.concat(pending);
}

/** Whether `piece` (none: the end of the text) continues the decoder's text as UTF-8. */
function decodes(decoder: TextDecoder, piece?: Buffer): boolean {
  try {
    if (piece) decoder.decode(piece, { stream: true });
    else decoder.decode();
    return true;
  } catch {
    return false;
  }
}

/** Destroys `body` with UploadStalledError when a wait for its next piece lasts `idleMs`; never without `idleMs`. */
function stallGuard(body: Readable, idleMs: number | undefined): { waiting(): void; arrived(): void } {
  let timer: NodeJS.Timeout | undefined;
  return {
    waiting: () => {
      if (idleMs !== undefined) timer = setTimeout(() => body.destroy(new UploadStalledError(idleMs)), idleMs);
    },
    arrived: () => clearTimeout(timer),
  };
}
