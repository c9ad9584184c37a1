// SQL lives in server/db/ (the stores, README "Layout"): no other file of server/ runs a query itself, whether
// through a knex builder on a database or transaction, raw SQL, a prepared statement or a pooled connection.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';

const SERVER = path.resolve(import.meta.dirname, '../../server');

/** A query as the service writes one: db('table')…, trx.raw(…), runPrepared(…), client.query(…), a pool's connection. */
const QUERY = /\b(?:db|trx|holder)\s*\(|\.raw\(|\.query\(|\brunPrepared\(|\bacquireConnection\(/;

function sourcesOutsideDb(): string[] {
  return (readdirSync(SERVER, { recursive: true }) as string[])
    .map((file) => file.split(path.sep).join('/'))
    .filter((file) => file.endsWith('.ts') && !file.startsWith('db/'));
}

describe('SQL only in the stores', () => {
  test('the pattern finds the query forms the stores use, and not the look-alikes', () => {
    for (const line of ["db('users').where({ id })", "await trx('sessions').update(x)", "trx.raw('select 1')", 'await client.query(`LISTEN x`)', 'runPrepared(db, S, p)']) {
      assert.match(line, QUERY, line);
    }
    for (const line of ["Buffer.from(text, 'utf8')", 'Array.from({ length: 2 })', 'await ctx.db.transaction(async (trx) => run(trx))', 'userStore.findById(db, id)']) {
      assert.doesNotMatch(line, QUERY, line);
    }
  });

  test('no file of server/ outside server/db/ runs a query', () => {
    const files = sourcesOutsideDb();
    assert.ok(files.length > 100, `read ${files.length} files`);
    const offending = files
      .flatMap((file) =>
        readFileSync(path.join(SERVER, file), 'utf8')
          .split('\n')
          .flatMap((line, i) => (QUERY.test(line) ? [`server/${file}:${i + 1}: ${line.trim()}`] : [])),
      );
    assert.deepEqual(offending, []);
  });
});
