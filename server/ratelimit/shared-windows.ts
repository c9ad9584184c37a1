// Attempt counts per key in one-minute windows, shared by every node through the database without a round trip
// per attempt. Each node decides at once from what it knows: the total across nodes returned by its last sync,
// plus its own attempts since. Its attempts are added to the store in batches (one upsert every `syncMs` while
// there are any), and the upsert answers the new totals. So one node alone counts exactly; several nodes together
// can admit at most what the others admitted within one sync interval beyond a budget.
//
// The budget is a sliding window estimated from two fixed ones (the previous window's count weighted by how much
// of it still overlaps the last minute): no burst of twice the budget at a window boundary, and two numbers per key.
import type { AttemptCount } from '../db/stores/attempt-window-store.ts';

export interface AttemptStore {
  add(rows: AttemptCount[]): Promise<AttemptCount[]>;
  purgeBefore(windowStart: number): Promise<unknown>;
}

export interface SharedWindowsOptions {
  /** How long a node's attempts wait before they are added to the store together. */
  syncMs: number;
  windowMs?: number;
  /** Keys remembered per node (least recently used forgotten first). */
  maxKeys?: number;
  onSyncError?(error: unknown): void;
}

interface Window {
  start: number;
  /** The previous window's total as last known. */
  previous: number;
  /** The total across nodes returned by the last sync of this window. */
  known: number;
  /** This node's attempts not yet in `known` (waiting, or in a sync that has not answered). */
  local: number;
}

const RETRY_AFTER_FAILED_SYNC_MS = 1000;

export class SharedWindows {
  private readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly windows = new Map<string, Window>();
  /** Attempts not yet sent, by key and window start. */
  private waiting = new Map<string, AttemptCount>();
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;
  private failingSince: number | undefined;
  private purgedBefore = 0;
  private closed = false;

  constructor(
    private readonly store: AttemptStore,
    private readonly options: SharedWindowsOptions,
  ) {
    this.windowMs = options.windowMs ?? 60_000;
    this.maxKeys = options.maxKeys ?? 100_000;
  }

  /** Counts one attempt when the key is within `limit` per window; returns 0 then, else the seconds to wait. */
  take(key: string, limit: number, now: number): number {
    if (limit <= 0) return 0; // 0 switches the budget off
    const window = this.windowFor(key, now);
    const elapsed = (now - window.start) / this.windowMs;
    const current = window.known + window.local;
    if (window.previous * (1 - elapsed) + current + 1 > limit) return this.secondsUntilRoom(window, limit, elapsed);
    window.local++;
    const id = `${window.start}|${key}`;
    const waiting = this.waiting.get(id);
    if (waiting) waiting.count++;
    else this.waiting.set(id, { key, windowStart: window.start, count: 1 });
    this.schedule(this.options.syncMs);
    return 0;
  }

  /** False while the store cannot be reached (from the first failed sync to the next successful one). */
  reachable(): boolean {
    return this.failingSince === undefined;
  }

  /** Sends what is waiting and stops. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.syncing;
    await this.sync().catch(() => undefined);
  }

  private windowFor(key: string, now: number): Window {
    const start = now - (now % this.windowMs);
    let window = this.windows.get(key);
    if (window && window.start !== start) {
      const previous = window.start === start - this.windowMs ? window.known + window.local : 0;
      window = { start, previous, known: 0, local: 0 };
    }
    window ??= { start, previous: 0, known: 0, local: 0 };
    this.windows.delete(key); // re-insert: Map order is then least recently used first
    this.windows.set(key, window);
    if (this.windows.size > this.maxKeys) this.windows.delete(this.windows.keys().next().value!);
    return window;
  }

  private secondsUntilRoom(window: Window, limit: number, elapsed: number): number {
    const current = window.known + window.local;
    // Full in this window alone: room only once it becomes the previous one. Else when enough of the previous
    // window has slid out of the last minute.
    const until = current + 1 > limit || window.previous === 0 ? 1 - elapsed : 1 - (limit - current - 1) / window.previous - elapsed;
    return Math.max(1, Math.ceil((until * this.windowMs) / 1000));
  }

  private schedule(delayMs: number): void {
    if (this.timer || this.syncing || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.syncing = this.sync().finally(() => {
        this.syncing = undefined;
        if (this.waiting.size > 0) this.schedule(this.failingSince === undefined ? this.options.syncMs : RETRY_AFTER_FAILED_SYNC_MS);
      });
    }, delayMs);
    this.timer.unref();
  }

  private async sync(): Promise<void> {
    const sent = [...this.waiting.values()];
    this.waiting = new Map();
    if (sent.length === 0) return;
    try {
      const totals = await this.store.add(sent);
      this.failingSince = undefined;
      const sentByKey = new Map(sent.map((row) => [`${row.windowStart}|${row.key}`, row.count]));
      for (const total of totals) {
        const window = this.windows.get(total.key);
        if (!window || window.start !== total.windowStart) continue;
        window.known = total.count;
        window.local -= sentByKey.get(`${total.windowStart}|${total.key}`) ?? 0;
      }
    } catch (error) {
      this.failingSince ??= Date.now();
      // Keep the attempts: they are added with the next sync, so no node undercounts after an outage.
      for (const row of sent) {
        const id = `${row.windowStart}|${row.key}`;
        const waiting = this.waiting.get(id);
        if (waiting) waiting.count += row.count;
        else this.waiting.set(id, row);
      }
      this.options.onSyncError?.(error);
      return;
    }
    await this.purgeOldWindows(Date.now()).catch((error: unknown) => this.options.onSyncError?.(error));
  }

  /** Once per window: rows older than the previous window are no longer read by anyone. */
  private async purgeOldWindows(now: number): Promise<void> {
    const before = now - (now % this.windowMs) - this.windowMs;
    if (before <= this.purgedBefore) return;
    this.purgedBefore = before;
    await this.store.purgeBefore(before);
  }
}
