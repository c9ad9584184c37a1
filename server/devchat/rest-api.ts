// The REST v4 endpoints mamgate calls, with Mattermost's paths, auth rules, status codes and error ids:
// api/v4/source/users.yaml and system.yaml (the published contract) and the handlers behind them in
// mattermost/mattermost: api4/user.go (getMe/getUser: self or a system admin, else 403; getSessions,
// revokeSession, revokeAllSessionsForUser: SessionHasPermissionToUser, else 403 edit_other_users; revokeSession:
// no session_id is 400 api.context.invalid_param.app_error, an unknown one 400 app.session.get.app_error
// (App.GetSessionById), another user's 400 api.context.invalid_url_param.app_error), api4/system.go (ping, no
// auth), api4/config.go (getConfig: system console read permission, the sanitised config; getClientConfig: no
// auth, the limited map without a session), api4/license.go (getClientLicense) and web/web.go Handle404.
import type { IncomingMessage } from 'node:http';
import { ChatError, invalidParam, invalidUrlParam, permissionDenied } from './chat-error.ts';
import type { ChatState } from './chat-state.ts';
import { stringMapFrom } from './http-io.ts';
import { isValidId } from './ids.ts';
import { type ChatSession, isSystemAdmin, sanitizedSession, userForAdmin, userForSelf } from './model.ts';

export interface RestContext {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  session?: ChatSession;
  body(): Promise<string>;
}

export interface RestRoute {
  method: 'GET' | 'POST';
  pattern: string;
  regex: RegExp;
  requireSession: boolean;
  handle(context: RestContext): unknown;
}

export interface RestHooks {
  /** Closes the WebSockets of revoked sessions. */
  revoked(sessionIds: Set<string>): void;
}

function route(method: RestRoute['method'], pattern: string, requireSession: boolean, handle: RestRoute['handle']): RestRoute {
  const regex = new RegExp(`^${pattern.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}/?$`);
  return { method, pattern, regex, requireSession, handle };
}

const STATUS_OK = { status: 'OK' };

/** Context.RequireUserId: "me" is the caller; anything else must be a valid id. */
function targetUserId(context: RestContext): string {
  const raw = context.params.user_id ?? '';
  const userId = raw === 'me' ? (context.session?.user_id ?? '') : raw;
  if (!isValidId(userId)) throw invalidUrlParam('user_id');
  return userId;
}

/** App.SessionHasPermissionToUser: oneself, or edit_other_users (a system admin). */
function requireUserPermission(session: ChatSession, userId: string): void {
  if (session.user_id !== userId && !isSystemAdmin(session.roles)) throw permissionDenied('edit_other_users');
}

export function restRoutes(state: ChatState, hooks: RestHooks): RestRoute[] {
  const { store } = state;
  return [
    route('GET', '/api/v4/system/ping', false, () => ({
      ActiveSearchBackend: 'database',
      AndroidLatestVersion: '',
      AndroidMinVersion: '',
      IosLatestVersion: '',
      IosMinVersion: '',
      status: 'OK',
    })),
    route('GET', '/api/v4/users/{user_id}', true, (context) => {
      const session = context.session!;
      const userId = targetUserId(context);
      if (userId === session.user_id) return userForSelf(store.users.get(userId)!);
      // UserCanSeeOtherUser: dev-chat has no teams, so only an admin sees other users.
      if (!isSystemAdmin(session.roles)) throw permissionDenied('view_members');
      const user = store.users.get(userId);
      if (!user) throw new ChatError(404, 'app.user.missing_account.const', `user_id=${userId}`);
      return userForAdmin(user);
    }),
    // api4/user.go getUsersByNames: a JSON array of usernames; the known ones come back, the others are left out.
    route('POST', '/api/v4/users/usernames', true, async (context) => {
      let names: unknown;
      try {
        names = JSON.parse(await context.body());
      } catch {
        names = undefined;
      }
      if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) throw invalidParam('usernames');
      const wanted = new Set((names as string[]).map((n) => n.toLowerCase()));
      const admin = isSystemAdmin(context.session!.roles);
      return [...store.users.values()]
        .filter((u) => wanted.has(u.username))
        .map((u) => (admin || u.id === context.session!.user_id ? userForAdmin(u) : userForSelf(u)));
    }),
    route('GET', '/api/v4/users/{user_id}/sessions', true, (context) => {
      const userId = targetUserId(context);
      requireUserPermission(context.session!, userId);
      return store.sessionsOf(userId).map(sanitizedSession);
    }),
    route('POST', '/api/v4/users/{user_id}/sessions/revoke', true, async (context) => {
      const userId = targetUserId(context);
      requireUserPermission(context.session!, userId);
      const sessionId = stringMapFrom(await context.body()).session_id ?? '';
      if (sessionId === '') throw invalidParam('session_id');
      const target = store.sessionById(sessionId);
      if (!target) throw new ChatError(400, 'app.session.get.app_error', `session_id=${sessionId}`);
      if (target.user_id !== userId) throw invalidUrlParam('user_id');
      store.revoke(sessionId);
      hooks.revoked(new Set([sessionId]));
      return STATUS_OK;
    }),
    route('POST', '/api/v4/users/{user_id}/sessions/revoke/all', true, (context) => {
      const userId = targetUserId(context);
      requireUserPermission(context.session!, userId);
      hooks.revoked(new Set(store.revokeAll(userId).map((s) => s.id)));
      return STATUS_OK;
    }),
    route('GET', '/api/v4/config', true, (context) => {
      if (!isSystemAdmin(context.session!.roles)) throw permissionDenied('sysconsole_read_*');
      return state.sanitizedConfig();
    }),
    route('GET', '/api/v4/config/client', false, (context) => state.clientConfig(context.session !== undefined)),
    route('GET', '/api/v4/license/client', false, (context) => state.clientLicenseFor(context.session)),
    // A plain GET of the WebSocket path: the upgrader refuses it (api4/websocket.go connectWebSocket).
    route('GET', '/api/v4/websocket', false, () => {
      throw new ChatError(400, 'api.web_socket.connect.upgrade.app_error');
    }),
  ];
}

export type RouteMatch =
  | { kind: 'route'; route: RestRoute; params: Record<string, string> }
  | { kind: 'wrong-method'; allow: string[] }
  | { kind: 'none' };

export function matchRoute(routes: RestRoute[], method: string, path: string): RouteMatch {
  const allow: string[] = [];
  for (const candidate of routes) {
    const found = candidate.regex.exec(path);
    if (!found) continue;
    if (candidate.method === method) return { kind: 'route', route: candidate, params: { ...found.groups } };
    allow.push(candidate.method);
  }
  return allow.length > 0 ? { kind: 'wrong-method', allow } : { kind: 'none' };
}
