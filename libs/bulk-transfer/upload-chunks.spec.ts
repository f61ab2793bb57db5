import { Readable } from 'node:stream';
import { NulInUploadError, uploadChunks, UploadTooLargeError } from './upload-chunks';

async function chunksOf(pieces: string[], options: { chunkBytes: number; limitBytes: number }): Promise<string[]> {
  const chunks: string[] = [];
  for await (const chunk of uploadChunks(Readable.from(pieces.map((piece) => Buffer.from(piece))), options)) chunks.push(chunk.toString());
  return chunks;
}

describe('uploadChunks', () => {
  it('re-cuts the pieces as they come into chunks of the given size, the last one shorter', async () => {
    expect(await chunksOf(['abcd', 'efghij', 'k'], { chunkBytes: 4, limitBytes: 100 })).toEqual(['abcd', 'efgh', 'ijk']);
  });

  it('stops once more than the limit came, and at a NUL byte', async () => {
    await expect(chunksOf(['abc', 'def'], { chunkBytes: 2, limitBytes: 5 })).rejects.toThrow(UploadTooLargeError);
    await expect(chunksOf(['ab', 'c\u0000d'], { chunkBytes: 2, limitBytes: 50 })).rejects.toThrow(new NulInUploadError(3));
  });
});
