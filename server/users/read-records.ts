// Reads an import file as records with their line numbers, streaming: CSV (with a header line of Mattermost's
// field names) or JSON Lines.
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';

export type ImportFormat = 'csv' | 'jsonl';

export interface RawRecord {
  line: number;
  value?: Record<string, unknown>;
  problem?: string;
}

/** The format from a file name or a content type; JSON Lines unless it says CSV. */
export function formatOf(nameOrType: string): ImportFormat {
  return /csv/i.test(nameOrType) ? 'csv' : 'jsonl';
}

async function* jsonLines(input: Readable): AsyncGenerator<RawRecord> {
  let line = 0;
  for await (const text of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
    line++;
    if (!text.trim()) continue;
    try {
      const value = JSON.parse(text);
      if (value && typeof value === 'object' && !Array.isArray(value)) yield { line, value };
      else yield { line, problem: 'not a JSON object' };
    } catch {
      yield { line, problem: 'not valid JSON' };
    }
  }
}

async function* csvRows(input: Readable): AsyncGenerator<RawRecord> {
  const parser = input.pipe(
    parse({ columns: (header: string[]) => header.map((h) => h.trim()), skip_empty_lines: true, relax_column_count: true, info: true, bom: true }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      yield { line: info.lines, value: record };
    }
  } catch (error) {
    yield { line: (error as { lines?: number }).lines ?? 0, problem: `CSV: ${(error as Error).message}` };
  }
}

export function readRecords(input: Readable, format: ImportFormat): AsyncGenerator<RawRecord> {
  return format === 'csv' ? csvRows(input) : jsonLines(input);
}
