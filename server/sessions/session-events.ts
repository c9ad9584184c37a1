// What a mobile client listening on api/v1/events hears: the chat server's config_changed / license_changed
// (with the new pre-login answers, as Mattermost's websocket carries them) and session_revoked for its session.
import type { Change } from '../changes/feed.ts';
import { buildClientConfig, buildClientLicense } from '../clientconfig/client-config.ts';
import type { Database } from '../db/connect.ts';
import { changeStore } from '../db/stores/change-store.ts';
import { sessionStore } from '../db/stores/session-store.ts';
import { currentLicense } from '../license/service.ts';
import { currentSettings } from '../settings/service.ts';

export interface SessionEvent {
  id: number;
  event: 'config_changed' | 'license_changed' | 'session_revoked';
  data: Record<string, unknown>;
}

async function broadcastEvent(db: Database, change: Change): Promise<SessionEvent> {
  const now = Date.now();
  const [{ settings }, { license }] = await Promise.all([currentSettings(db), currentLicense(db)]);
  return change.kind === 'settings'
    ? { id: change.seq, event: 'config_changed', data: { config: buildClientConfig(settings, license, now) } }
    : { id: change.seq, event: 'license_changed', data: { license: buildClientLicense(license, now) } };
}

/** config_changed / license_changed are the same for every stream: built once per change and shared. */
export class BroadcastEvents {
  private readonly built = new Map<number, Promise<SessionEvent>>();

  constructor(private readonly db: Database) {}

  for(change: Change): Promise<SessionEvent> {
    let event = this.built.get(change.seq);
    if (!event) {
      event = broadcastEvent(this.db, change);
      event.catch(() => this.built.delete(change.seq));
      this.built.set(change.seq, event);
      if (this.built.size > 64) this.built.delete(this.built.keys().next().value!);
    }
    return event;
  }
}

export async function eventForChange(
  db: Database,
  broadcasts: BroadcastEvents,
  change: Change,
  sessionId: string,
): Promise<SessionEvent | undefined> {
  if (change.kind === 'settings' || change.kind === 'license') return broadcasts.for(change);
  if (change.ref !== sessionId) return undefined;
  const row = await sessionStore.revocationOf(db, sessionId);
  if (!row?.revoked_at) return undefined;
  return { id: change.seq, event: 'session_revoked', data: { session_id: sessionId, reason: row.revoked_reason } };
}

/** Changes after a sequence number, for a client reconnecting with Last-Event-ID. */
export async function changesSince(db: Database, seq: number, limit = 500): Promise<Change[]> {
  return changeStore.after(db, seq, limit);
}
