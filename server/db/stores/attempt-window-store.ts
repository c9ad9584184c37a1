// The shared sign-in budgets (migration 20261206000201): attempts per key per window, added by every node.
import type { Database } from '../connect.ts';
import { prepareStatement, runPrepared } from '../prepared.ts';

export interface AttemptCount {
  key: string;
  windowStart: number;
  count: number;
}

interface AddParams extends Record<string, unknown> {
  keys: string[];
  windowStarts: number[];
  counts: number[];
}

// Rows sorted by key, so two nodes adding to the same keys lock them in one order and never deadlock.
const ADD_ATTEMPTS = prepareStatement<AddParams>(
  'mamgate_add_login_attempts_v1',
  `insert into login_attempt_windows as w (key, window_start, count)
   select * from unnest(:keys::text[], :windowStarts::bigint[], :counts::int[]) as i(key, window_start, count)
   order by 1, 2
   on conflict (key, window_start) do update set count = w.count + excluded.count
   returning key, window_start, count`,
);

export const attemptWindowStore = {
  /** Adds a batch of attempt counts in one statement; answers every key's total across all nodes. */
  async add(db: Database, rows: AttemptCount[]): Promise<AttemptCount[]> {
    if (rows.length === 0) return [];
    const result = await runPrepared<{ key: string; window_start: string | number; count: number }, AddParams>(db, ADD_ATTEMPTS, {
      keys: rows.map((r) => r.key),
      windowStarts: rows.map((r) => r.windowStart),
      counts: rows.map((r) => r.count),
    });
    return result.map((r) => ({ key: r.key, windowStart: Number(r.window_start), count: Number(r.count) }));
  },

  async purgeBefore(db: Database, windowStart: number): Promise<number> {
    return db('login_attempt_windows').where('window_start', '<', windowStart).del();
  },
};
