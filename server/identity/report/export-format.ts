// The report's export rows: DESIGN.md's fields, as CSV (RFC 4180) or JSON Lines.
//
// CSV (written by csv-stringify): every non-empty field is quoted (quotes doubled), null and empty values are
// empty fields, and a value that a spreadsheet would run as a formula (a leading = + - @) is written with a leading
// apostrophe, as text. Lines end with CRLF. On PostgreSQL the same bytes come from COPY (FORMAT csv, FORCE_QUOTE *)
// over `csvColumnSql` columns, whose line ends `CsvLineEnds` turns into CRLF; the rows carried to the service are
// formatted here.
import { stringify } from 'csv-stringify/sync';
import type { ReportRowRecord } from '../../db/stores/report-store.ts';

export const EXPORT_FIELDS = [
  'user_id',
  'username',
  'email',
  'auth_service',
  'auth_data',
  'oauth_object_id',
  'saml_object_id',
  'ldap_object_id',
  'status',
  'mam_error',
  'next_step',
] as const;

export type ExportFormat = 'csv' | 'jsonl';

const FORMULA_LEADS = ['=', '+', '-', '@'];

/** A text a spreadsheet would run as a formula, kept as text (the apostrophe), as `csvColumnSql` does in SQL. */
function asText(value: string): string {
  return FORMULA_LEADS.includes(value[0]!) ? `'${value}` : value;
}

const CSV_OPTIONS = { quoted: true, quoted_empty: false, record_delimiter: 'windows', cast: { string: asText } } as const;

/** A column as the CSV rows write it, as an SQL expression for COPY (FORMAT csv, FORCE_QUOTE *): null when empty. */
export function csvColumnSql(column: string): string {
  const leads = FORMULA_LEADS.map((lead) => `'${lead}'`).join(', ');
  return `nullif(case when left(${column}, 1) in (${leads}) then '''' || ${column} else ${column} end, '')`;
}

/**
 * COPY's CSV ends a row with LF; this writes CRLF instead, chunk by chunk. A line end inside a quoted value is
 * part of the value and stays as it is: quotes are counted across chunks (a doubled quote toggles twice).
 */
export class CsvLineEnds {
  private quoted = false;

  convert(chunk: Buffer): Buffer {
    const parts: Buffer[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === 0x22) this.quoted = !this.quoted;
      else if (byte === 0x0a && !this.quoted) {
        parts.push(chunk.subarray(start, i), CRLF);
        start = i + 1;
      }
    }
    if (start === 0) return chunk; // no line ended in this chunk
    parts.push(chunk.subarray(start));
    return Buffer.concat(parts);
  }
}

const CRLF = Buffer.from('\r\n');

export function exportHeader(format: ExportFormat): string {
  return format === 'csv' ? stringify([EXPORT_FIELDS], { record_delimiter: 'windows' }) : '';
}

/** The lines of a page of rows (csv-stringify's sync call: the export already streams page by page, see exportReport). */
export function exportLines(rows: ReportRowRecord[], format: ExportFormat): string {
  if (format === 'csv') return stringify(rows.map((row) => EXPORT_FIELDS.map((f) => row[f] ?? null)), CSV_OPTIONS);
  return rows.map((row) => `${JSON.stringify(Object.fromEntries(EXPORT_FIELDS.map((f) => [f, row[f] ?? null])))}\n`).join('');
}

export function contentTypeOf(format: ExportFormat): string {
  return format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';
}
