// Named prepared statements for the few hot paths. knex sends every query unnamed, so PostgreSQL parses and plans
// it each time; for the sign-in's statement planning costs twice its execution. A prepared statement is parsed
// and planned once per connection and then only executed. Written with `:name` parameters for readability,
// turned into `$n` once at load.
import pg from 'pg';
import type { Database } from './connect.ts';

export interface PreparedStatement<Params extends Record<string, unknown>> {
  name: string;
  text: string;
  order: (keyof Params & string)[];
}

export function prepareStatement<Params extends Record<string, unknown>>(name: string, sql: string): PreparedStatement<Params> {
  const order: (keyof Params & string)[] = [];
  // `::` is a cast, not a parameter; a parameter is a colon followed by a name.
  const text = sql.replace(/(?<!:):([a-zA-Z]\w*)/g, (_match, param: keyof Params & string) => {
    let index = order.indexOf(param);
    if (index < 0) index = order.push(param) - 1;
    return `$${index + 1}`;
  });
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
