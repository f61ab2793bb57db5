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

/**
 * The records of a CSV (a header row naming the fields; empty cells are absent fields) or NDJSON
 * (one JSON object per line) file, read as a stream: at most one record is held at a time.
 * A CSV row with more or fewer cells than the header, or an NDJSON line that is not a JSON object,
 * is a record with a problem; a file that cannot be parsed on throws MalformedFileError.
 */
export function fileRecords(source: Readable, format: RecordFormat): AsyncGenerator<FileRecord> {
  return format === 'csv' ? csvRecords(source) : ndjsonRecords(source);
}

async function* csvRecords(source: Readable): AsyncGenerator<FileRecord> {
  const parser = source.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_CSV_RECORD_BYTES }));
  let header: string[] | undefined;
  let row = 0;
  try {
    for await (const cells of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = cells.map((cell) => cell.trim());
        const poisoning = header.find((name) => POISONING_NAMES.includes(name));
        if (poisoning) throw new MalformedFileError(`The CSV header names a column ${poisoning}, which no field is called`);
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
    throw new MalformedFileError(`The CSV cannot be read after row ${row}: ${(error as Error).message}`);
  }
}

async function* ndjsonRecords(source: Readable): AsyncGenerator<FileRecord> {
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  let row = 0;
  for await (const line of lines) {
    if (line.trim() === '') continue;
    row += 1;
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
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) yield { row, problem: 'is not a JSON object' };
    else yield { row, fields: parsed as Record<string, unknown> };
  }
}
