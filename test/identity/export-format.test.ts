// The report's CSV and JSON Lines lines: RFC 4180 quoting, and values that a spreadsheet would run as a formula
// written as text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReportRowRecord } from '../../server/db/stores/report-store.ts';
import { EXPORT_FIELDS, exportHeader, exportLine } from '../../server/identity/report/export-format.ts';

function row(fields: Partial<ReportRowRecord>): ReportRowRecord {
  const base = Object.fromEntries(EXPORT_FIELDS.map((field) => [field, null])) as unknown as ReportRowRecord;
  return { ...base, user_id: 'u1', username: 'jane', email: 'jane@example.com', auth_service: 'office365', status: 'aligned', next_step: 'x', ...fields };
}

test('CSV: plain values as they are, empty for null, the header in DESIGN order', () => {
  assert.equal(exportHeader('csv'), `${EXPORT_FIELDS.join(',')}\r\n`);
  assert.equal(exportLine(row({}), 'csv'), 'u1,jane,jane@example.com,office365,,,,,aligned,,x\r\n');
});

test('CSV: commas, quotes and line ends are quoted, quotes doubled', () => {
  const line = exportLine(row({ next_step: 'a, b "c"\nd', username: 'we\rird' }), 'csv');
  assert.equal(line, 'u1,"we\rird",jane@example.com,office365,,,,,aligned,,"a, b ""c""\nd"\r\n');
});

test('CSV: a leading = + - @ is written as text (apostrophe, quoted); elsewhere it stays', () => {
  for (const lead of ['=', '+', '-', '@']) {
    assert.equal(exportLine(row({ username: `${lead}cmd|' /C calc'!A0` }), 'csv').split(',')[1], `"'${lead}cmd|' /C calc'!A0"`);
  }
  assert.equal(exportLine(row({ username: 'a=b-c' }), 'csv').split(',')[1], 'a=b-c');
  assert.equal(exportLine(row({ username: '=HYPERLINK("x","y")' }), 'csv').split(',').slice(1, 3).join(','), '"\'=HYPERLINK(""x"",""y"")"');
});

test('JSON Lines: the DESIGN fields in order, null for missing values, no formula escaping', () => {
  const line = exportLine(row({ username: '=1+1' }), 'jsonl');
  assert.ok(line.endsWith('\n'));
  const object = JSON.parse(line);
  assert.deepEqual(Object.keys(object), [...EXPORT_FIELDS]);
  assert.equal(object.username, '=1+1');
  assert.equal(object.auth_data, null);
});
