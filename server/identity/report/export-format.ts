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

/** A field that needs quoting, or a leading = + - @ (a formula in a spreadsheet). */
const NEEDS_CARE = /[",\r\n]|^[=+\-@]/;

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  if (!NEEDS_CARE.test(text)) return text;
  // A leading = + - @ would be a formula in a spreadsheet: quote it with a leading apostrophe.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) || safe !== text ? `"${safe.replace(/"/g, '""')}"` : safe;
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
