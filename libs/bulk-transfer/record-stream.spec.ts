import { Readable } from 'node:stream';
import { fileRecords, FileRecord, MalformedFileError, RecordStreamOptions } from './record-stream';

async function recordsOf(text: string, format: 'csv' | 'ndjson', pieceBytes = 3, options: RecordStreamOptions = {}): Promise<FileRecord[]> {
  const pieces: Buffer[] = [];
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += pieceBytes) pieces.push(bytes.subarray(i, i + pieceBytes));
  const records: FileRecord[] = [];
  for await (const record of fileRecords(Readable.from(pieces), format, options)) records.push(record);
  return records;
}

describe('fileRecords', () => {
  it('reads CSV rows by the header, quoted commas, quotes and newlines included, leaving empty cells out', async () => {
    const csv = '\uFEFFname,note\r\n"Acme, Inc.","said ""hi""\nthen left"\r\nGlobex,\r\n';
    expect(await recordsOf(csv, 'csv')).toEqual([
      { row: 1, fields: { name: 'Acme, Inc.', note: 'said "hi"\nthen left' } },
      { row: 2, fields: { name: 'Globex' } },
    ]);
  });

  it('gives a CSV row with the wrong number of cells as a problem and goes on', async () => {
    expect(await recordsOf('a,b\n1,2,3\n4,5\n', 'csv')).toEqual([
      { row: 1, problem: 'has 3 cells where the header has 2' },
      { row: 2, fields: { a: '4', b: '5' } },
    ]);
  });

  it('stops at a quote never closed, and at a header naming __proto__', async () => {
    await expect(recordsOf('a\n"open\n', 'csv')).rejects.toThrow(MalformedFileError);
    await expect(recordsOf('__proto__,b\n1,2\n', 'csv')).rejects.toThrow('__proto__');
  });

  it('stops at a header naming a field twice or a column not at all, rather than letting one cell silently win', async () => {
    await expect(recordsOf('firstName,email,email\nAda,a@x.test,b@x.test\n', 'csv')).rejects.toThrow(
      new MalformedFileError('The CSV header names email twice (columns 2 and 3)'),
    );
    await expect(recordsOf('firstName,,email\nAda,,a@x.test\n', 'csv')).rejects.toThrow(
      new MalformedFileError('The CSV header names no field for column 2'),
    );
  });

  it('reads an NDJSON file that starts with a byte order mark', async () => {
    expect(await recordsOf('\uFEFF{"a":1}\n{"b":2}\n', 'ndjson')).toEqual([
      { row: 1, fields: { a: 1 } },
      { row: 2, fields: { b: 2 } },
    ]);
  });

  it('reads NDJSON objects line by line; a line that is no object, or reaches for a prototype, is a problem', async () => {
    const ndjson = '{"a":1}\n\n[1]\nnot json\n{"__proto__":{"x":1}}\n{"b":"two"}';
    expect(await recordsOf(ndjson, 'ndjson')).toEqual([
      { row: 1, fields: { a: 1 } },
      { row: 2, problem: 'is not a JSON object' },
      { row: 3, problem: expect.stringContaining('is not JSON') },
      { row: 4, problem: 'has a __proto__, constructor or prototype key' },
      { row: 5, fields: { b: 'two' } },
    ]);
  });

  it('makes an NDJSON line the caller refuses, or one longer than a MiB, a problem and goes on', async () => {
    const jsonProblem = (text: string) => (text.includes('refuse') ? 'is refused' : undefined);
    const ndjson = ['{"a":"refuse me"}', `{"b":"${'x'.repeat(1024 * 1024)}"}`, '{"c":3}'].join('\n');
    expect(await recordsOf(ndjson, 'ndjson', 64 * 1024, { jsonProblem })).toEqual([
      { row: 1, problem: 'is refused' },
      { row: 2, problem: 'is longer than 1048576 characters' },
      { row: 3, fields: { c: 3 } },
    ]);
  });

  it('throws the error of a file that cannot be read on, as it is, in either format: not a malformed file, nor an unhandled event', async () => {
    for (const format of ['csv', 'ndjson'] as const) {
      async function* failingStore(): AsyncGenerator<Buffer> {
        yield Buffer.from(format === 'csv' ? 'a,b\n1,2\n' : '{"a":1}\n');
        throw new Error('the store went away');
      }
      const reading = (async () => {
        for await (const record of fileRecords(Readable.from(failingStore()), format)) void record;
      })();
      await expect(reading).rejects.toThrow(new Error('the store went away'));
    }
  });
});
