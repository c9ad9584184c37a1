import type { Database } from '../connect.ts';

export interface ChatRevocationRow {
  id: string;
  user_id: string;
  reason: string;
  request_id: string | null;
  attempts: number;
  last_error: string | null;
}

export const chatRevocationStore = {
  async enqueue(db: Database, userId: string, reason: string, requestId: string | null): Promise<void> {
    await db('chat_revocations').insert({ user_id: userId, reason, request_id: requestId });
  },
  /** Due requests, locked for this node (another node skips them) until its transaction ends. */
  due(db: Database, limit: number): Promise<ChatRevocationRow[]> {
    return db('chat_revocations')
      .select('id', 'user_id', 'reason', 'request_id', 'attempts', 'last_error')
      .whereNull('done_at')
      .where('next_attempt_at', '<=', db.fn.now())
      .orderBy('next_attempt_at')
      .limit(limit)
      .forUpdate()
      .skipLocked();
  },
  async done(db: Database, id: string, sessionsEnded: number): Promise<void> {
    await db('chat_revocations').where({ id }).update({ done_at: db.fn.now(), sessions_ended: sessionsEnded, attempts: db.raw('attempts + 1') });
  },
  async retryLater(db: Database, id: string, delayMs: number, error: string): Promise<void> {
    await db('chat_revocations')
      .where({ id })
      .update({
        attempts: db.raw('attempts + 1'),
        last_error: error,
        next_attempt_at: db.raw(`now() + (? * interval '1 millisecond')`, [delayMs]),
      });
  },
  async pendingCount(db: Database): Promise<number> {
    const row = (await db('chat_revocations').whereNull('done_at').count('* as n').first()) as { n: string | number };
    return Number(row.n);
  },
};
