// Named prepared statements for the few hot paths. knex sends every query unnamed, so PostgreSQL parses and plans
// it each time; for the sign-in's statement planning costs twice its execution. A prepared statement is parsed
// and planned once per connection and then only executed. Written with `:name` parameters for readability,
// turned into `$n` once at load — outside string literals, quoted identifiers, dollar-quoted bodies and comments
// (block comments nested as PostgreSQL nests them).
import pg from 'pg';
import type { Database } from './connect.ts';

export interface PreparedStatement<Params extends Record<string, unknown>> {
  name: string;
  text: string;
  order: (keyof Params & string)[];
}

/** Where the quoted text that starts at `at` ends: string literals (E'' with backslash escapes), "identifiers", $tag$ bodies $tag$. */
function quotedEnd(sql: string, at: number): number {
  const quote = sql[at]!;
  if (quote === '$') {
    const tag = /\w/.test(sql[at - 1] ?? '') ? undefined : /^\$(?:[A-Za-z_]\w*)?\$/.exec(sql.slice(at))?.[0];
    if (!tag) return at + 1;
    const end = sql.indexOf(tag, at + tag.length);
    return end < 0 ? sql.length : end + tag.length;
  }
  const backslashes = quote === "'" && /[eE]/.test(sql[at - 1] ?? '') && !/\w/.test(sql[at - 2] ?? '');
  for (let i = at + 1; i < sql.length; i++) {
    if (backslashes && sql[i] === '\\') i++;
    else if (sql[i] === quote) {
      if (sql[i + 1] !== quote) return i + 1;
      i++; // a doubled quote stands for itself
    }
  }
  return sql.length;
}

/** Where the comment that starts at `at` ends (-- to the end of the line, or a block comment: PostgreSQL nests those). */
function commentEnd(sql: string, at: number): number {
  if (sql.startsWith('--', at)) {
    const end = sql.indexOf('\n', at);
    return end < 0 ? sql.length : end;
  }
  let depth = 0;
  for (let i = at; i < sql.length - 1; i++) {
    if (sql[i] === '/' && sql[i + 1] === '*') depth++;
    else if (sql[i] === '*' && sql[i + 1] === '/') depth--;
    else continue;
    i++; // the pair's second character is not the start of another
    if (depth === 0) return i + 1;
  }
  return sql.length;
}

export function prepareStatement<Params extends Record<string, unknown>>(name: string, sql: string): PreparedStatement<Params> {
  const order: (keyof Params & string)[] = [];
  let text = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    let end = i + 1;
    if (c === "'" || c === '"' || c === '$') end = quotedEnd(sql, i);
    else if (sql.startsWith('--', i) || sql.startsWith('/*', i)) end = commentEnd(sql, i);
    else if (c === ':' && sql[i + 1] === ':') end = i + 2; // `::` is a cast, not a parameter
    else if (c === ':') {
      const param = /^[a-zA-Z]\w*/.exec(sql.slice(i + 1))?.[0] as (keyof Params & string) | undefined;
      if (param) {
        let index = order.indexOf(param);
        if (index < 0) index = order.push(param) - 1;
        text += `$${index + 1}`;
        i += 1 + param.length;
        continue;
      }
    }
    text += sql.slice(i, end);
    i = end;
  }
  return { name, text, order };
}

interface QueryableConnection {
  query(config: pg.QueryConfig | string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/**
 * Runs the statement on a connection of `db` (the transaction's own connection when `db` is a transaction). On
 * PostgreSQL it is a named prepared statement; the embedded PGlite (one connection, no planning cost worth
 * saving) gets the same text with parameters.
 */
export async function runPrepared<Row, Params extends Record<string, unknown>>(
  db: Database,
  statement: PreparedStatement<Params>,
  params: Params,
): Promise<Row[]> {
  const values = statement.order.map((name) => {
    if (!(name in params)) throw new Error(`prepared statement ${statement.name}: no value for :${name}`);
    return params[name];
  });
  const connection = (await db.client.acquireConnection()) as QueryableConnection;
  try {
    const result =
      connection instanceof pg.Client
        ? await connection.query({ name: statement.name, text: statement.text, values })
        : await connection.query(statement.text, values);
    return result.rows as Row[];
  } finally {
    await db.client.releaseConnection(connection);
  }
}
