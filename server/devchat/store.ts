// Users and sessions held in memory. A token is valid while its session exists, has not expired
// (Session.IsExpired in server/public/model/session.go: expires_at > 0 and in the past) and belongs to an active
// user: Mattermost revokes every session of a user it deactivates (App.UpdateActive, server/channels/app/user.go),
// so a deactivated user's token never authenticates there. Defaults follow User.PreSave (server/public/model/user.go).
import type { ChatSession, ChatUser, StringMap } from './model.ts';
import { newId } from './ids.ts';

export interface NewUser {
  username: string;
  email: string;
  auth_service?: string;
  auth_data?: string | null;
  first_name?: string;
  last_name?: string;
  nickname?: string;
  position?: string;
  roles?: string;
  locale?: string;
  is_bot?: boolean;
  delete_at?: number;
  props?: StringMap;
}

export interface NewSession {
  user_id: string;
  token?: string;
  device_id?: string;
  props?: StringMap;
  expires_at?: number;
  is_oauth?: boolean;
}

export class UnknownUserError extends Error {}

export class ChatStore {
  readonly users = new Map<string, ChatUser>();
  private readonly sessionsById = new Map<string, ChatSession>();
  private readonly sessionsByToken = new Map<string, ChatSession>();
  revocations = 0;

  addUser(input: NewUser): ChatUser {
    const now = Date.now();
    const user: ChatUser = {
      id: newId(),
      create_at: now,
      update_at: now,
      delete_at: input.delete_at ?? 0,
      // User.PreSave lower-cases username and email.
      username: input.username.toLowerCase(),
      password: '',
      auth_data: input.auth_data === undefined || input.auth_data === '' ? null : input.auth_data,
      auth_service: input.auth_service ?? '',
      email: input.email.toLowerCase(),
      email_verified: true,
      nickname: input.nickname ?? '',
      first_name: input.first_name ?? '',
      last_name: input.last_name ?? '',
      position: input.position ?? '',
      roles: input.roles ?? 'system_user',
      props: input.props ?? {},
      notify_props: { email: 'true', push: 'mention', desktop: 'mention', channel: 'true' },
      last_password_update: now,
      locale: input.locale ?? 'en',
      timezone: { automaticTimezone: '', manualTimezone: '', useAutomaticTimezone: 'true' },
      is_bot: input.is_bot ?? false,
    };
    this.users.set(user.id, user);
    return structuredClone(user);
  }

  addSession(input: NewSession): ChatSession {
    const user = this.users.get(input.user_id);
    if (!user) throw new UnknownUserError(`no user ${input.user_id}`);
    const now = Date.now();
    const session: ChatSession = {
      id: newId(),
      token: input.token ?? newId(),
      create_at: now,
      expires_at: input.expires_at ?? 0,
      last_activity_at: now,
      user_id: user.id,
      device_id: input.device_id ?? '',
      roles: user.roles,
      is_oauth: input.is_oauth ?? false,
      expired_notify: false,
      props: input.props ?? {},
      local: false,
    };
    this.sessionsById.set(session.id, session);
    this.sessionsByToken.set(session.token, session);
    return structuredClone(session);
  }

  /** The session a token authenticates, or undefined when unknown, revoked, expired or its user deactivated. */
  sessionForToken(token: string): ChatSession | undefined {
    const session = this.sessionsByToken.get(token);
    if (!session) return undefined;
    if (session.expires_at > 0 && Date.now() > session.expires_at) return undefined;
    const user = this.users.get(session.user_id);
    if (!user || user.delete_at > 0) return undefined;
    return session;
  }

  sessionById(id: string): ChatSession | undefined {
    return this.sessionsById.get(id);
  }

  sessionsOf(userId: string): ChatSession[] {
    return [...this.sessionsById.values()].filter((s) => s.user_id === userId).map((s) => structuredClone(s));
  }

  revoke(sessionId: string): ChatSession | undefined {
    const session = this.sessionsById.get(sessionId);
    if (!session) return undefined;
    this.sessionsById.delete(session.id);
    this.sessionsByToken.delete(session.token);
    this.revocations++;
    return session;
  }

  revokeAll(userId: string): ChatSession[] {
    return this.sessionsOf(userId).map((s) => this.revoke(s.id)!);
  }
}
