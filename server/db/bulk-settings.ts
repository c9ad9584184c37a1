// Settings for the big set-based statements of one transaction (a sync's merge, a report's ranges), scoped to it.
import type { Knex } from 'knex';

/**
 * No JIT (compiling these statements costs more than running them) and room to hash and sort 100,000s of rows in
 * memory. `nestedLoops: false` also rules out nested-loop joins, for statements whose every join spans a whole
 * range and whose statistics may lag behind a sync's writes.
 */
export async function tuneForBulk(trx: Knex.Transaction, options: { nestedLoops?: boolean } = {}): Promise<void> {
  await trx.raw("select set_config('jit', 'off', true), set_config('work_mem', '64MB', true), set_config('enable_nestloop', ?, true)", [
    options.nestedLoops === false ? 'off' : 'on',
  ]);
}
