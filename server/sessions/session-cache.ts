// Per-node memory of sessions by token hash, so the gate answers without a query when nothing changed. Entries
// are dropped when the change feed reports their session, and unknown tokens are remembered too (a random token
// must not cost a query each time). Bounded: least recently used entries go first.
import type { Database } from '../db/connect.ts';
import { sessionStore } from '../db/stores/session-store.ts';
import { type SessionSnapshot, snapshotOf } from './session-snapshot.ts';

interface Entry {
  session: SessionSnapshot | undefined;
  loadedAt: number;
}

export class SessionCache {
  private readonly byHash = new Map<string, Entry>();
  private readonly hashById = new Map<string, string>();
  private readonly loading = new Map<string, Promise<SessionSnapshot | undefined>>();
  /** Bumped by every invalidation: a read that overlapped one may hold the old row, so it is not remembered. */
  private generation = 0;

  constructor(
    private readonly db: Database,
    private readonly options: { maxEntries?: number; maxAgeMs?: number } = {},
  ) {}

  /** The cached entry if fresh; `undefined` means "not cached" (call load). */
  peek(tokenHash: string, now: number): Entry | undefined {
    const entry = this.byHash.get(tokenHash);
    if (!entry) return undefined;
    if (now - entry.loadedAt > (this.options.maxAgeMs ?? 300_000)) {
      this.forgetHash(tokenHash);
      return undefined;
    }
    return entry;
  }

  /** Reads the session from the database (one query shared by concurrent callers) and remembers it. */
  load(tokenHash: string): Promise<SessionSnapshot | undefined> {
    let pending = this.loading.get(tokenHash);
    if (!pending) {
      const generation = this.generation;
      pending = sessionStore
        .findByTokenHash(this.db, tokenHash)
        .then((row) => {
          const session = row ? snapshotOf(row) : undefined;
          if (generation === this.generation) this.remember(tokenHash, session);
          return session;
        })
        .finally(() => this.loading.delete(tokenHash));
      this.loading.set(tokenHash, pending);
    }
    return pending;
  }

  private remember(tokenHash: string, session: SessionSnapshot | undefined): void {
    this.byHash.set(tokenHash, { session, loadedAt: Date.now() });
    if (session) this.hashById.set(session.id, tokenHash);
    const max = this.options.maxEntries ?? 200_000;
    while (this.byHash.size > max) this.forgetHash(this.byHash.keys().next().value!);
  }

  private forgetHash(tokenHash: string): void {
    const entry = this.byHash.get(tokenHash);
    this.byHash.delete(tokenHash);
    if (entry?.session) this.hashById.delete(entry.session.id);
  }

  /** A session changed somewhere: the next request reads it again. */
  invalidate(sessionId: string): void {
    this.generation++;
    const hash = this.hashById.get(sessionId);
    if (hash) this.forgetHash(hash);
  }

  clear(): void {
    this.byHash.clear();
    this.hashById.clear();
  }

  get size(): number {
    return this.byHash.size;
  }
}
