// How a node learns what changed elsewhere: writers append to the `changes` table inside their transaction and
// NOTIFY; every node LISTENs for the wake-up and reads the rows after the last sequence number it saw. A poll of
// the same table covers a lost notification, and its success is the node's proof that it is up to date: the gate
// fails closed when the feed has not been read for a while.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../db/connect.ts';
import { type Change, type ChangeKind, changeStore } from '../db/stores/change-store.ts';

export type { Change, ChangeKind };

/** Appends a change inside the writer's transaction; the NOTIFY is delivered when that transaction commits. */
export async function recordChange(trx: Database, kind: ChangeKind, ref: string | null): Promise<void> {
  await changeStore.record(trx, kind, ref);
}

export interface ChangeSource {
  /** Read the table now (when a notification arrives). */
  wake(): void;
  /**
   * Read the table and resolve once every change committed before the call has been delivered to this node's
   * subscribers: a writer awaits it so that its own node never answers from a cache older than the write.
   */
  catchUp(): Promise<void>;
  subscribe(listener: (change: Change) => void): () => void;
  /** True while the table has been read successfully within the staleness bound. */
  fresh(now?: number): boolean;
  lastSeq(): number;
}

export interface ChangeFeedOptions {
  databaseUrl?: string;
  pollMs?: number;
  staleAfterMs?: number;
  log: Logger;
}

/**
 * Change numbers are taken inside the writer's transaction, so a change can commit after one with a higher number
 * has been read. A number skipped by a read is looked for again by every read for this long (a rolled-back
 * transaction leaves a hole that never fills).
 */
const GAP_WAIT_MS = 60_000;
const MAX_GAPS = 10_000;

export class ChangeFeed implements ChangeSource {
  private readonly emitter = new EventEmitter();
  private seen = 0;
  private lastReadAt = 0;
  private reading: Promise<void> | undefined;
  private again = false;
  /** Numbers below `seen` not read yet, with the time they were first missed. */
  private readonly gaps = new Map<number, number>();
  private pollTimer: NodeJS.Timeout | undefined;
  private listener: pg.Client | undefined;
  private closed = false;
  private readonly pollMs: number;
  private readonly staleAfterMs: number;

  constructor(
    private readonly db: Database,
    private readonly options: ChangeFeedOptions,
  ) {
    this.pollMs = options.pollMs ?? 1000;
    this.staleAfterMs = options.staleAfterMs ?? 5000;
    this.emitter.setMaxListeners(0);
  }

  async start(): Promise<void> {
    this.seen = await changeStore.latestSeq(this.db);
    this.lastReadAt = Date.now();
    // Transactions open now may still commit numbers below the maximum: holes among the recent ones are watched.
    const recent = await changeStore.seqsAfter(this.db, this.seen - 1000);
    if (recent.length > 0) {
      const present = new Set(recent);
      for (let seq = Math.min(...recent) + 1; seq < this.seen; seq++) if (!present.has(seq)) this.noteGap(seq, this.lastReadAt);
    }
    this.pollTimer = setInterval(() => this.wake(), this.pollMs);
    this.pollTimer.unref();
    if (this.options.databaseUrl) await this.listen();
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    client.on('notification', () => this.wake());
    let lost = false;
    client.on('error', (error) => {
      // A connection lost during LISTEN reports twice (the socket's error, then the failed query): reconnect once.
      if (lost) return;
      lost = true;
      this.options.log.warn({ err: error.message }, 'change listener lost its connection; polling until it is back');
      client.end().catch(() => undefined);
      if (this.listener === client) this.listener = undefined;
      setTimeout(() => void this.listen().catch(() => undefined), 1000).unref();
    });
    try {
      await client.connect();
      await changeStore.listen(client);
      this.listener = client;
      this.wake(); // anything committed while we were not listening
    } catch (error) {
      client.emit('error', error as Error);
    }
  }

  wake(): void {
    if (this.closed) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.read()
      .catch((error: Error) => this.options.log.warn({ err: error.message }, 'reading the change feed failed'))
      .finally(() => {
        this.reading = undefined;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private noteGap(seq: number, now: number): void {
    if (this.gaps.size < MAX_GAPS) this.gaps.set(seq, now);
  }

  private async read(): Promise<void> {
    const started = Date.now();
    for (const [seq, missedAt] of this.gaps) if (started - missedAt > GAP_WAIT_MS) this.gaps.delete(seq);
    for (;;) {
      const rows = await changeStore.after(this.db, this.seen, 1000, [...this.gaps.keys()]);
      const now = Date.now();
      for (const row of rows) {
        const seq = row.seq;
        if (seq <= this.seen) {
          if (!this.gaps.delete(seq)) continue; // already delivered
        } else {
          for (let missing = Math.max(this.seen + 1, seq - MAX_GAPS); missing < seq; missing++) this.noteGap(missing, now);
          this.seen = seq;
        }
        this.emitter.emit('change', { seq, kind: row.kind, ref: row.ref });
      }
      if (rows.length < 1000) break;
    }
    // Fresh only once the whole backlog is delivered: between two pages the caches may still be behind.
    this.lastReadAt = Date.now();
    if (Math.random() < 0.001) await changeStore.purgeOld(this.db);
  }

  async catchUp(): Promise<void> {
    // The writer's own change may sit below `seen` (a hole filled late), so comparing numbers is not enough: wait
    // for a read that begins after this call. A read under way may have begun before the writer's commit; its end
    // starts the next one. At most two reads: one that fails (database gone) does not hold the writer forever.
    if (this.closed) return;
    if (this.reading) {
      this.again = true;
      await this.reading;
    } else {
      this.wake();
    }
    await this.reading;
  }

  subscribe(listener: (change: Change) => void): () => void {
    this.emitter.on('change', listener);
    return () => this.emitter.off('change', listener);
  }

  fresh(now = Date.now()): boolean {
    return now - this.lastReadAt <= this.staleAfterMs;
  }

  lastSeq(): number {
    return this.seen;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.pollTimer);
    await this.reading;
    await this.listener?.end().catch(() => undefined);
  }
}

/** For a process that only writes (the CLI without a service): nothing listens. */
export const silentChangeSource: ChangeSource = {
  wake: () => undefined,
  catchUp: async () => undefined,
  subscribe: () => () => undefined,
  fresh: () => true,
  lastSeq: () => 0,
};
