// `:name` parameters become `$n` only where PostgreSQL would read a parameter: never inside string literals,
// quoted identifiers, dollar-quoted bodies or comments, and never in a `::` cast. Checked on the text, then run
// for real on PostgreSQL (a literal that was rewritten would come back changed or fail to bind).
import assert from 'node:assert/strict';
import os from 'node:os';
import { after, before, describe, test } from 'node:test';
import { type Database, openDatabase } from '../../server/db/connect.ts';
import { prepareStatement, runPrepared } from '../../server/db/prepared.ts';
import { createTestDatabase, type TestDatabase } from '../support/pg.ts';

describe('prepared statements', () => {
  test('parameters are numbered in order of first use, repeated names share a number, casts stay', () => {
    const s = prepareStatement('t1', 'SELECT :a::int + :b, :a::text');
    assert.equal(s.text, 'SELECT $1::int + $2, $1::text');
    assert.deepEqual(s.order, ['a', 'b']);
  });

  test('text inside literals, identifiers, dollar quotes and comments is left alone', () => {
    const cases: [string, string][] = [
      [`SELECT 'at :noon', :x`, `SELECT 'at :noon', $1`],
      [`SELECT 'it''s :a', :x`, `SELECT 'it''s :a', $1`],
      [`SELECT E'\\' :a', :x`, `SELECT E'\\' :a', $1`],
      [`SELECT "col:a" FROM t WHERE v = :x`, `SELECT "col:a" FROM t WHERE v = $1`],
      [`SELECT $$ :a $$, $tag$ :b $tag$, :x`, `SELECT $$ :a $$, $tag$ :b $tag$, $1`],
      [`SELECT :x -- and :a\n, :y`, `SELECT $1 -- and :a\n, $2`],
      [`SELECT /* :a */ :x`, `SELECT /* :a */ $1`],
      [`SELECT /* outer /* inner */ :a */ :x`, `SELECT /* outer /* inner */ :a */ $1`],
      [`SELECT /*/ :a */ :x`, `SELECT /*/ :a */ $1`],
      [`SELECT price$x, :x`, `SELECT price$x, $1`],
    ];
    for (const [sql, expected] of cases) {
      const s = prepareStatement('t', sql);
      assert.equal(s.text, expected, sql);
      assert.deepEqual(s.order, sql.includes(':y') ? ['x', 'y'] : ['x'], sql);
    }
  });

  describe('on PostgreSQL', () => {
    let database: TestDatabase;
    let db: Database;
    before(async () => {
      database = await createTestDatabase();
      db = openDatabase({ databaseUrl: database.url, dataDir: os.tmpdir() });
    });
    after(async () => {
      await db.destroy();
      await database.drop();
    });

    test('literals come back as written and parameters bind', async () => {
      const statement = prepareStatement<{ x: string; n: number }>(
        'prepared_literals_test',
        `SELECT 'at :noon' AS literal, E'it\\'s :a' AS escaped, $q$ :b $q$ AS dollar, :x::text AS x, :n::int + 1 AS n /* :c /* :d */ :e */`,
      );
      const [row] = await runPrepared<Record<string, unknown>, { x: string; n: number }>(db, statement, { x: 'value', n: 41 });
      assert.deepEqual(row, { literal: 'at :noon', escaped: "it's :a", dollar: ' :b ', x: 'value', n: 42 });
    });
  });
});
