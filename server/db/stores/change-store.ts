// The `changes` table: one row per change a node must hear of, numbered by `seq`, woken by a NOTIFY on
// CHANGE_CHANNEL. changes/feed.ts decides when to read and what a hole in the numbers means.
import type pg from 'pg';
import { CHANGE_CHANNEL } from '../change-channel.ts';
import type { Database } from '../connect.ts';

export type ChangeKind = 'settings' | 'license' | 'session' | 'evidence';

export interface Change {
  seq: number;
  kind: ChangeKind;
  ref: string | null;
}

/** How long a change is kept (SQL interval text). */
const RETENTION = "interval '1 day'";

export const changeStore = {
  /** Appends a change inside the writer's transaction; the NOTIFY is delivered when that transaction commits. */
  async record(trx: Database, kind: ChangeKind, ref: string | null): Promise<void> {
    const [row] = (await trx('changes').insert({ kind, ref }).returning('seq')) as { seq: number }[];
    await trx.raw('select pg_notify(?, ?)', [CHANGE_CHANNEL, String(row!.seq)]);
  },
  /** The highest change number, 0 when there is none. */
  async latestSeq(db: Database): Promise<number> {
    const row = (await db('changes').max('seq as seq').first()) as { seq: number | null } | undefined;
    return Number(row?.seq ?? 0);
  },
  /** The numbers of the changes after `seq`, in no order. */
  async seqsAfter(db: Database, seq: number): Promise<number[]> {
    return (await db('changes').where('seq', '>', seq).pluck('seq')).map(Number);
  },
  /** The changes after `seq` (and those numbered `also`, when given), in order, at most `limit`. */
  async after(db: Database, seq: number, limit: number, also: number[] = []): Promise<Change[]> {
    const query = db('changes').where('seq', '>', seq);
    if (also.length > 0) query.orWhereIn('seq', also);
    const rows = (await query.orderBy('seq').limit(limit)) as Change[];
    return rows.map((r) => ({ seq: Number(r.seq), kind: r.kind, ref: r.ref }));
  },
  /** Deletes the changes older than the retention. */
  async purgeOld(db: Database): Promise<void> {
    await db('changes').whereRaw(`at < now() - ${RETENTION}`).delete();
  },
  /** Makes a connection of its own (not the pool's) hear the NOTIFYs. */
  async listen(client: pg.Client): Promise<void> {
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
  },
};
