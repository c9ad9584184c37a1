// Which session a request carries, following Mattermost: app.ParseAuthTokenFromRequest
// (server/channels/app/authentication.go: the MMAUTHTOKEN cookie first, then "Authorization: Bearer <t>", then
// "Authorization: Token <t>", then ?access_token=; tokens cut to 50 characters) and web/handlers.go ServeHTTP: a
// token that finds no valid session is a 401 api.context.session_expired.app_error only where a session is
// required; a query-string token of a non-OAuth session is a 401 api.context.token_provided.app_error; a cookie
// token on a non-GET call needs the X-CSRF-Token of the session or X-Requested-With: XMLHttpRequest (the check
// ExperimentalStrictCSRFEnforcement=false keeps lenient).
import type { IncomingMessage } from 'node:http';
import { cookieNamed } from '../util/cookies.ts';
import { ChatError, sessionExpired } from './chat-error.ts';
import type { ChatSession } from './model.ts';
import type { ChatStore } from './store.ts';

export type TokenLocation = 'cookie' | 'header' | 'query' | 'none';

export function tokenFromRequest(req: IncomingMessage): { token: string; location: TokenLocation } {
  const found = ((): { token: string; location: TokenLocation } => {
    const fromCookie = cookieNamed(req.headers.cookie, 'MMAUTHTOKEN');
    if (fromCookie !== undefined) return { token: fromCookie, location: 'cookie' };
    const header = req.headers.authorization ?? '';
    if (header.length > 6 && header.slice(0, 6).toUpperCase() === 'BEARER') return { token: header.slice(7), location: 'header' };
    if (header.length > 5 && header.slice(0, 5).toLowerCase() === 'token') return { token: header.slice(6), location: 'header' };
    const fromQuery = new URL(req.url ?? '/', 'http://dev-chat').searchParams.get('access_token');
    if (fromQuery) return { token: fromQuery, location: 'query' };
    return { token: '', location: 'none' };
  })();
  return { ...found, token: found.token.slice(0, 50) };
}

export interface AuthRules {
  requireSession: boolean;
  /** Handlers Mattermost builds with TrustRequester (the WebSocket): no CSRF check. */
  trustRequester: boolean;
}

/** The request's session, undefined when none is needed and none is valid; throws the AppError Mattermost answers. */
export function authenticate(store: ChatStore, req: IncomingMessage, rules: AuthRules): ChatSession | undefined {
  const { token, location } = tokenFromRequest(req);
  const session = token ? store.sessionForToken(token) : undefined;
  if (token && !session) {
    if (rules.requireSession) throw sessionExpired('invalid or expired session');
    return undefined;
  }
  if (session && !session.is_oauth && location === 'query') {
    throw new ChatError(401, 'api.context.token_provided.app_error', 'token in the query string');
  }
  if (session && location === 'cookie' && !rules.trustRequester && req.method !== 'GET') {
    const csrf = req.headers['x-csrf-token'];
    const passed = (csrf !== undefined && csrf === session.props.csrf) || req.headers['x-requested-with'] === 'XMLHttpRequest';
    if (!passed) throw sessionExpired('Appears to be a CSRF attempt');
  }
  if (!session && rules.requireSession) throw sessionExpired('UserRequired');
  return session;
}
