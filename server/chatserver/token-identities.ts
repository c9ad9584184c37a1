// Who each chat-server session token belongs to, remembered per token hash so that the gate asks the chat server
// once per token and TTL: accepted tokens for IDENTITY_TTL_MS, refused ones for REFUSAL_TTL_MS (so random tokens
// cannot become a flood of calls). One call per token at a time; a failed call is not remembered (the next
// request asks again, and meanwhile the gate answers 503). Bounded: the oldest entries go first.
import { hashToken } from '../util/secret-token.ts';
import type { ChatUser } from './chat-user.ts';
import type { ChatServerConnection } from './connection.ts';

export const IDENTITY_TTL_MS = 60_000;
export const REFUSAL_TTL_MS = 30_000;
const MAX_ENTRIES = 200_000;

interface Entry {
  user: ChatUser | null;
  until: number;
}

export class TokenIdentities {
  private readonly byHash = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<ChatUser | null>>();
  /** Bumped when a user's standing changes: a lookup that overlapped it is not remembered. */
  private generation = 0;

  constructor(private readonly connection: () => ChatServerConnection | undefined) {}

  /** The remembered answer (user, or null for a refused token), or undefined when the chat server must be asked. */
  peek(tokenHash: string, now: number): Entry | undefined {
    const entry = this.byHash.get(tokenHash);
    if (entry && entry.until <= now) {
      this.byHash.delete(tokenHash);
      return undefined;
    }
    return entry;
  }

  lookup(token: string, tokenHash = hashToken(token)): Promise<ChatUser | null> {
    let pending = this.loading.get(tokenHash);
    if (!pending) {
      const connection = this.connection();
      if (!connection) return Promise.resolve(null);
      const generation = this.generation;
      pending = connection
        .whoIs(token)
        .then((user) => {
          if (generation === this.generation) this.remember(tokenHash, user);
          return user;
        })
        .finally(() => this.loading.delete(tokenHash));
      this.loading.set(tokenHash, pending);
    }
    return pending;
  }

  private remember(tokenHash: string, user: ChatUser | null): void {
    this.byHash.delete(tokenHash);
    this.byHash.set(tokenHash, { user, until: Date.now() + (user ? IDENTITY_TTL_MS : REFUSAL_TTL_MS) });
    while (this.byHash.size > MAX_ENTRIES) this.byHash.delete(this.byHash.keys().next().value!);
  }

  /** Forget every token of a user (their sessions were ended on the chat server). */
  forgetUser(userId: string): void {
    this.generation++;
    for (const [hash, entry] of this.byHash) if (entry.user?.id === userId) this.byHash.delete(hash);
  }

  clear(): void {
    this.generation++;
    this.byHash.clear();
  }

  get size(): number {
    return this.byHash.size;
  }
}
