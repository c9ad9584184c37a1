// The report's CSV and JSON Lines lines: every non-empty CSV field quoted (RFC 4180), values that a spreadsheet
// would run as a formula written as text, and COPY's LF line ends turned into CRLF outside quoted values.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ReportRowRecord } from '../../server/db/stores/report-store.ts';
import { CsvLineEnds, EXPORT_FIELDS, exportHeader, exportLines } from '../../server/identity/report/export-format.ts';

function row(fields: Partial<ReportRowRecord>): ReportRowRecord {
  const base = Object.fromEntries(EXPORT_FIELDS.map((field) => [field, null])) as unknown as ReportRowRecord;
  return { ...base, user_id: 'u1', username: 'jane', email: 'jane@example.com', auth_service: 'office365', status: 'aligned', next_step: 'x', ...fields };
}

test('CSV: every value quoted, empty for null and empty values, the header in DESIGN order', () => {
  assert.equal(exportHeader('csv'), `${EXPORT_FIELDS.join(',')}\r\n`);
  assert.equal(exportLines([row({ auth_data: '' })], 'csv'), '"u1","jane","jane@example.com","office365",,,,,"aligned",,"x"\r\n');
});

test('CSV: commas, quotes and line ends are quoted, quotes doubled', () => {
  const line = exportLines([row({ next_step: 'a, b "c"\nd', username: 'we\rird' })], 'csv');
  assert.equal(line, '"u1","we\rird","jane@example.com","office365",,,,,"aligned",,"a, b ""c""\nd"\r\n');
});

test('CSV: a leading = + - @ is written as text (an apostrophe before it); elsewhere it stays', () => {
  for (const lead of ['=', '+', '-', '@']) {
    assert.equal(exportLines([row({ username: `${lead}cmd|' /C calc'!A0` })], 'csv').split(',')[1], `"'${lead}cmd|' /C calc'!A0"`);
  }
  assert.equal(exportLines([row({ username: 'a=b-c' })], 'csv').split(',')[1], '"a=b-c"');
  assert.equal(exportLines([row({ username: '=HYPERLINK("x","y")' })], 'csv').split(',').slice(1, 3).join(','), '"\'=HYPERLINK(""x"",""y"")"');
});

test('JSON Lines: the DESIGN fields in order, null for missing values, no formula escaping', () => {
  const line = exportLines([row({ username: '=1+1' })], 'jsonl');
  assert.ok(line.endsWith('\n'));
  const object = JSON.parse(line);
  assert.deepEqual(Object.keys(object), [...EXPORT_FIELDS]);
  assert.equal(object.username, '=1+1');
  assert.equal(object.auth_data, null);
});

test('CSV line ends: LF becomes CRLF between records, not inside a quoted value, across chunks', () => {
  const copy = '"a","b\nc"\n"d","e ""q"""\n"f","g\n\nh"\n';
  const expected = '"a","b\nc"\r\n"d","e ""q"""\r\n"f","g\n\nh"\r\n';
  assert.equal(new CsvLineEnds().convert(Buffer.from(copy)).toString(), expected);
  // One byte per chunk: a quote and a line end may fall on either side of a chunk's edge.
  const lineEnds = new CsvLineEnds();
  const out = [...Buffer.from(copy)].map((byte) => lineEnds.convert(Buffer.from([byte])).toString());
  assert.equal(out.join(''), expected);
});
