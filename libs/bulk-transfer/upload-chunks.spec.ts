import { Readable } from 'node:stream';
import { PassThrough } from 'node:stream';
import {
  NotUtf8UploadError,
  NulInUploadError,
  uploadChunks,
  UploadStalledError,
  UploadTooLargeError,
  UploadTooSlowError,
} from './upload-chunks';

async function chunksOf(pieces: string[], options: { chunkBytes: number; limitBytes: number }): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of uploadChunks(Readable.from(pieces.map((piece) => Buffer.from(piece))), options)) chunks.push(chunk.toString());
  return chunks;
}

async function chunksOfStream(body: Readable): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of uploadChunks(body, { chunkBytes: 4, limitBytes: 100 })) chunks.push(chunk);
  return chunks;
}

describe('uploadChunks', () => {
  it('re-cuts the pieces as they come into chunks of the given size, the last one shorter', async () => {
    expect(await chunksOf(['abcd', 'efghij', 'k'], { chunkBytes: 4, limitBytes: 100 })).toEqual(['abcd', 'efgh', 'ijk']);
  });

  it('takes UTF-8 whose characters are cut between pieces, and stops at bytes that are no UTF-8 (Windows-1252, a cut last character)', async () => {
    const uber = Buffer.from('Müller');
    const pieces = [uber.subarray(0, 2), uber.subarray(2)];
    const chunks: string[] = [];
    for await (const chunk of uploadChunks(Readable.from(pieces), { chunkBytes: 100, limitBytes: 100 })) chunks.push(chunk.toString());
    expect(chunks).toEqual(['Müller']);
    const latin1 = Readable.from([Buffer.from('name\nM'), Buffer.from([0xfc]), Buffer.from('ller\n')]);
    await expect(chunksOfStream(latin1)).rejects.toThrow(new NotUtf8UploadError(7));
    await expect(chunksOfStream(Readable.from([Buffer.from('ab'), uber.subarray(0, 2)]))).rejects.toThrow(NotUtf8UploadError);
  });

  it('stops once more than the limit came, and at a NUL byte', async () => {
    await expect(chunksOf(['abc', 'def'], { chunkBytes: 2, limitBytes: 5 })).rejects.toThrow(UploadTooLargeError);
    await expect(chunksOf(['ab', 'c\u0000d'], { chunkBytes: 2, limitBytes: 50 })).rejects.toThrow(new NulInUploadError(3));
  });

  it('gives up on a sender that stops sending, but not on a caller that takes its time storing a chunk', async () => {
    const body = new PassThrough();
    const chunks = uploadChunks(body, { chunkBytes: 2, limitBytes: 100, idleMs: 100 });
    body.write('ab');
    expect((await chunks.next()).value?.toString()).toBe('ab');
    // The caller stores the chunk for longer than the idle time while the sender has sent the rest.
    body.end('cd');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await chunks.next()).value?.toString()).toBe('cd');
    expect((await chunks.next()).done).toBe(true);

    const stalled = new PassThrough();
    stalled.write('ab');
    const reading = (async () => {
      for await (const chunk of uploadChunks(stalled, { chunkBytes: 2, limitBytes: 100, idleMs: 100 })) void chunk;
    })();
    await expect(reading).rejects.toThrow(UploadStalledError);
    expect(stalled.destroyed).toBe(true);
  });

  it('gives up on a sender that keeps sending a little, too slowly to finish within the deadline', async () => {
    const trickle = new PassThrough();
    const drip = setInterval(() => trickle.destroyed || trickle.write('a'), 20);
    try {
      const reading = (async () => {
        for await (const chunk of uploadChunks(trickle, { chunkBytes: 1, limitBytes: 100, idleMs: 100, deadlineMs: 150 })) void chunk;
      })();
      await expect(reading).rejects.toThrow(new UploadTooSlowError(150));
      expect(trickle.destroyed).toBe(true);
    } finally {
      clearInterval(drip);
    }
  });
});
