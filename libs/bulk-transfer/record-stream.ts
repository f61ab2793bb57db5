import { parse } from 'csv-parse';
import { Readable } from 'node:stream';
import { createInterface } from 'node:readline';

export type RecordFormat = 'csv' | 'ndjson';

/** One record of a file: its 1-based row number (the CSV header not counted) and its fields, or why it is no record. */
export type FileRecord = { row: number; fields: Record<string, unknown> } | { row: number; problem: string };

/** The file cannot be read on (e.g. a CSV quote never closed); the records before it were given. */
export class MalformedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedFileError';
  }
}

/** Keys that could reach an object's prototype once the record is turned into a class instance. */
const POISONING_NAMES = ['__proto__', 'constructor', 'prototype'];
const POISONING_KEY = /"(__proto__|constructor|prototype)"\s*:/;

/** Longest CSV record taken, so a file cannot make the parser buffer without bound. */
const MAX_CSV_RECORD_BYTES = 1024 * 1024;
/** Longest NDJSON line taken as a record, as long as a CSV record may be. */
const MAX_NDJSON_LINE_CHARACTERS = MAX_CSV_RECORD_BYTES;

export interface RecordStreamOptions {
  /**
   * What the caller refuses in a JSON record that is well-formed (e.g. what its API refuses in a request body), as a
   * problem that makes the line a record with a problem; undefined when the record is fine.
   */
  jsonProblem?: (text: string, parsed: object) => string | undefined;
}

/**
 * The records of a CSV (a header row naming the fields; empty cells are absent fields) or NDJSON
 * (one JSON object per line) file, read as a stream: at most one record is held at a time.
 * A CSV row with more or fewer cells than the header, or an NDJSON line that is not a JSON object,
 * is a record with a problem; a file that cannot be parsed on throws MalformedFileError.
 */
export function fileRecords(source: Readable, format: RecordFormat, options: RecordStreamOptions = {}): AsyncGenerator<FileRecord> {
  return format === 'csv' ? csvRecords(source) : ndjsonRecords(source, options);
}

async function* csvRecords(source: Readable): AsyncGenerator<FileRecord> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_CSV_RECORD_BYTES });
  const unreadable = watchReadErrors(source, (error) => parser.destroy(error));
  source.pipe(parser);
  let header: string[] | undefined;
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = cells.map((cell) => cell.trim());
        const poisoning = header.find((name) => POISONING_NAMES.includes(name));
        if (poisoning) throw new MalformedFileError(`The CSV header names a column ${poisoning}, which no field is called`);
        const headerProblem = duplicateOrEmptyColumn(header);
        if (headerProblem) throw new MalformedFileError(headerProblem);
        continue;
      }
      row += 1;
      if (cells.length !== header.length) {
        yield { row, problem: `has ${cells.length} cells where the header has ${header.length}` };
        continue;
      }
      const fields: Record<string, unknown> = {};
      header.forEach((name, i) => {
        if (cells[i] !== '') fields[name] = cells[i];
      });
      yield { row, fields };
    }
  } catch (error) {
    if (error instanceof MalformedFileError) throw error;
    // The file could not be read (its store failing), which says nothing of its contents: that error, as it is.
    if (unreadable.error !== undefined) throw unreadable.error;
    throw new MalformedFileError(`The CSV cannot be read after row ${row}: ${(error as Error).message}`);
  }
}

/**
 * Listens for an error of `source` (its store failing mid-read), which would otherwise reach the process as an
 * unhandled 'error' event (a pipe or readline does not pass it on): `stop` ends the reading of the records, and the
 * error is kept for the reader to throw, told apart from a fault of the contents.
 */
function watchReadErrors(source: Readable, stop: (error: Error) => void): { error?: Error } {
  const failure: { error?: Error } = {};
  source.on('error', (error) => {
    failure.error = error;
    stop(error);
  });
  return failure;
}

/** Why a header cannot name each cell's field: a name given twice (the later cell would silently win) or none. */
function duplicateOrEmptyColumn(header: string[]): string | undefined {
  const empty = header.indexOf('');
  if (empty >= 0) return `The CSV header names no field for column ${empty + 1}`;
  const twice = header.findIndex((name, at) => header.indexOf(name) !== at);
  if (twice >= 0) return `The CSV header names ${header[twice]} twice (columns ${header.indexOf(header[twice]) + 1} and ${twice + 1})`;
  return undefined;
}

async function* ndjsonRecords(source: Readable, { jsonProblem }: RecordStreamOptions): AsyncGenerator<FileRecord> {
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  const unreadable = watchReadErrors(source, () => lines.close());
  let row = 0;
  for await (const read of lines) {
    // A byte order mark (editors on Windows write one) is no part of the first record, as in a CSV.
    const line = row === 0 ? read.replace(/^\uFEFF/, '') : read;
    if (line.trim() === '') continue;
    row += 1;
    if (line.length > MAX_NDJSON_LINE_CHARACTERS) {
      yield { row, problem: `is longer than ${MAX_NDJSON_LINE_CHARACTERS} characters` };
      continue;
    }
    if (POISONING_KEY.test(line)) {
      yield { row, problem: 'has a __proto__, constructor or prototype key' };
      continue;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (error) {
      yield { row, problem: `is not JSON: ${(error as Error).message}` };
      continue;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      yield { row, problem: 'is not a JSON object' };
      continue;
    }
    const problem = jsonProblem?.(line, parsed);
    yield problem === undefined ? { row, fields: parsed as Record<string, unknown> } : { row, problem };
  }
  // Lines end early when the file cannot be read on: its error, not a shorter file.
  if (unreadable.error !== undefined) throw unreadable.error;
}
