// How a node learns what changed elsewhere: writers append to the `changes` table inside their transaction and
// NOTIFY; every node LISTENs for the wake-up and reads the rows after the last sequence number it saw. A poll of
// the same table covers a lost notification, and its success is the node's proof that it is up to date: the gate
// fails closed when the feed has not been read for a while.
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../db/connect.ts';

export type ChangeKind = 'settings' | 'license' | 'session';
export const CHANGE_CHANNEL = 'mamgate_changes';

export interface Change {
  seq: number;
  kind: ChangeKind;
  ref: string | null;
}

/** Appends a change inside the writer's transaction; the NOTIFY is delivered when that transaction commits. */
export async function recordChange(trx: Database, kind: ChangeKind, ref: string | null): Promise<void> {
  const [row] = (await trx('changes').insert({ kind, ref }).returning('seq')) as { seq: number }[];
  await trx.raw('select pg_notify(?, ?)', [CHANGE_CHANNEL, String(row!.seq)]);
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

const RETENTION = "interval '1 day'";

export class ChangeFeed implements ChangeSource {
  private readonly emitter = new EventEmitter();
  private seen = 0;
  private lastReadAt = 0;
  private reading: Promise<void> | undefined;
  private again = false;
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
    const row = (await this.db('changes').max('seq as seq').first()) as { seq: number | null } | undefined;
    this.seen = Number(row?.seq ?? 0);
    this.lastReadAt = Date.now();
    this.pollTimer = setInterval(() => this.wake(), this.pollMs);
    this.pollTimer.unref();
    if (this.options.databaseUrl) await this.listen();
  }

  private async listen(): Promise<void> {
    if (this.closed) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    client.on('notification', () => this.wake());
    client.on('error', (error) => {
      this.options.log.warn({ err: error.message }, 'change listener lost its connection; polling until it is back');
      client.end().catch(() => undefined);
      if (this.listener === client) this.listener = undefined;
      setTimeout(() => void this.listen().catch(() => undefined), 1000).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
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

  private async read(): Promise<void> {
    for (;;) {
      const rows = (await this.db('changes').where('seq', '>', this.seen).orderBy('seq').limit(1000)) as Change[];
      this.lastReadAt = Date.now();
      for (const row of rows) {
        this.seen = Number(row.seq);
        this.emitter.emit('change', { seq: Number(row.seq), kind: row.kind, ref: row.ref });
      }
      if (rows.length < 1000) break;
    }
    if (Math.random() < 0.001) await this.db('changes').whereRaw(`at < now() - ${RETENTION}`).delete();
  }

  async catchUp(): Promise<void> {
    const row = (await this.db('changes').max('seq as seq').first()) as { seq: number | null } | undefined;
    const target = Number(row?.seq ?? 0);
    // A few rounds at most: a read that fails (database gone) must not hold the writer forever.
    for (let round = 0; round < 5 && this.seen < target && !this.closed; round++) {
      this.wake();
      await this.reading;
    }
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
