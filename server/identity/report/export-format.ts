// The report's export rows: DESIGN.md's fields, as CSV (RFC 4180 quoting) or JSON Lines.
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

const QUOTED = /[",\r\n]/;
/** A leading = + - @ would be a formula in a spreadsheet. */
const FORMULA = /^[=+\-@]/;

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  const formula = FORMULA.test(text);
  if (!formula && !QUOTED.test(text)) return text;
  // A formula is quoted with a leading apostrophe, so the spreadsheet shows it as text.
  return `"${(formula ? `'${text}` : text).replace(/"/g, '""')}"`;
}

export function exportHeader(format: ExportFormat): string {
  return format === 'csv' ? `${EXPORT_FIELDS.join(',')}\r\n` : '';
}

export function exportLine(row: ReportRowRecord, format: ExportFormat): string {
  if (format === 'csv') return `${EXPORT_FIELDS.map((f) => csvField(row[f])).join(',')}\r\n`;
  return `${JSON.stringify(Object.fromEntries(EXPORT_FIELDS.map((f) => [f, row[f] ?? null])))}\n`;
}

export function contentTypeOf(format: ExportFormat): string {
  return format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8';
}
