// The CSV download on PostgreSQL (COPY, line ends turned into CRLF) and on the embedded PGlite (rows formatted by
// the service): the same rows give the same bytes, whole and filtered by status, across COPY's chunks; a download
// the client drops part-way leaves the service's connections usable.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { API_BASE } from '../../server/http/app.ts';
import { EXPORT_FIELDS } from '../../server/identity/report/export-format.ts';
import { call, startTestService, type TestService } from '../support/service.ts';

const RUN = 'download-run';
const ROWS = 10_000;
/** Values COPY and the service must write alike: quoting, line ends, formulas, empty and null, non-ASCII. */
const AWKWARD = [
  'plain',
  'comma, inside',
  'quote " inside',
  '""',
  'line\nend',
  'carriage\rreturn',
  'both\r\nends',
  '=SUM(A1:A2)',
  '+1',
  '-1',
  '@cmd',
  "'already apostrophe",
  '',
  'tab\there',
  'backslash \\ and \\n',
  'é ü 漢字 🚀',
  ' spaced ',
  '\n',
];

function reportRow(seq: number) {
  const pick = (k: number) => AWKWARD[(seq * 7 + k) % AWKWARD.length]!;
  const maybe = (k: number) => (seq % 5 === k ? null : pick(k));
  return {
    run_id: RUN,
    seq,
    user_id: `u${seq}`,
    username: pick(1),
    email: pick(2),
    auth_service: seq % 3 === 0 ? '' : 'office365',
    auth_data: maybe(3),
    oauth_object_id: maybe(4),
    saml_object_id: maybe(0),
    ldap_object_id: maybe(1),
    status: seq % 4 === 0 ? 'mismatch' : 'aligned',
    error_id: null,
    mam_error: maybe(2),
    next_step: `${pick(5)} ${'long text, '.repeat(seq % 13)}${pick(6)}`,
  };
}

/** RFC 4180 records, read by csv-parse (line ends CRLF only: an LF or CR alone belongs to a quoted value). */
const parseCsv = (text: string): string[][] => parse(text, { record_delimiter: '\r\n' });

describe('report CSV download: PostgreSQL (COPY) and PGlite agree byte for byte', () => {
  let postgres: TestService;
  let embedded: TestService;

  before(async () => {
    // One after the other: PGlite runs its migrations on this thread and, started alongside, can hold the event loop
    // past PostgreSQL's 5 s wait for a connection (a CI run failed that way).
    postgres = await startTestService();
    embedded = await startTestService({ embedded: true });
    for (const service of [postgres, embedded]) {
      const db = service.ctx.db;
      await db('report_runs').insert({ id: RUN, kind: 'identity-alignment', status: 'completed', total: ROWS, processed: ROWS, requested_by: 'test' });
      const rows = Array.from({ length: ROWS }, (_, i) => reportRow(i + 1));
      for (let i = 0; i < rows.length; i += 500) await db('report_rows').insert(rows.slice(i, i + 500));
    }
  });
  after(async () => {
    await Promise.all([postgres?.close(), embedded?.close()]);
  });

  const download = (service: TestService, query: string) =>
    call(`${service.url}${API_BASE}/admin/reports/identity-alignment/${RUN}/download?${query}`, { token: service.adminToken });

  test('whole and filtered by status', async () => {
    assert.ok((await download(postgres, 'format=csv')).text.length > 1024 * 1024, 'many COPY chunks');
    for (const query of ['format=csv', 'format=csv&status=mismatch']) {
      const [fromCopy, fromRows] = await Promise.all([download(postgres, query), download(embedded, query)]);
      assert.equal(fromCopy.status, 200);
      assert.equal(fromRows.status, 200);
      assert.ok(fromCopy.text.startsWith(`${EXPORT_FIELDS.join(',')}\r\n`));
      assert.equal(fromCopy.text, fromRows.text, query);
    }
  });

  test('the written CSV reads back as the stored values (formulas as text)', async () => {
    const { text } = await download(postgres, 'format=csv');
    const records = parseCsv(text);
    assert.equal(records.length, ROWS + 1);
    for (const seq of [1, 2, 3, 4, 5, 17, ROWS]) {
      const stored = reportRow(seq) as Record<string, unknown>;
      const written = records[seq]!;
      EXPORT_FIELDS.forEach((field, k) => {
        const value = (stored[field] as string | null) ?? '';
        assert.equal(written[k], /^[=+\-@]/.test(value) ? `'${value}` : value, `${field} of row ${seq}`);
      });
    }
  });

  test('a download dropped part-way leaves the connections usable', async () => {
    for (let attempt = 0; attempt < 12; attempt++) {
      const controller = new AbortController();
      const answer = await fetch(`${postgres.url}${API_BASE}/admin/reports/identity-alignment/${RUN}/download?format=csv`, {
        headers: { authorization: `Bearer ${postgres.adminToken}` },
        signal: controller.signal,
      });
      const reader = answer.body!.getReader();
      await reader.read();
      controller.abort();
      await reader.read().catch(() => undefined);
    }
    assert.ok(postgres.logs.some((line) => line.includes('a report download ended before its COPY did')), 'COPYs were left part-way');
    // More dropped downloads than the pool has connections: a connection left mid-COPY would now hang or fail.
    const whole = await download(postgres, 'format=csv');
    assert.equal(parseCsv(whole.text).length, ROWS + 1);
    const status = await call(`${postgres.url}${API_BASE}/admin/reports/identity-alignment/${RUN}`, { token: postgres.adminToken });
    assert.equal(status.body.status, 'completed');
  });
});
