// The System Console's own session as an admin credential (companion mode). The plugin's panels call mamgate
// through the same proxy as the chat server, with the console's cookies; mamgate asks the chat server whose
// session it is, and accepts only a system admin. A write carried by the session cookie must carry the CSRF
// header the chat server's web app sends (X-CSRF-Token equal to the MMCSRF cookie, X-Requested-With
// XMLHttpRequest): another site can make the browser send the cookie, but cannot read it to copy it.
import type { IncomingHttpHeaders } from 'node:http';
import type { TokenIdentities } from '../chatserver/token-identities.ts';
import { AppError } from '../errors/app-error.ts';
import { sessionTokenFrom } from '../sessions/session-token.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const BEARER = /^(?:Bearer|Token)\s+\S+/i;

function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  const match = cookieHeader ? new RegExp(`(?:^|;\\s*)${name}=([^;]*)`).exec(cookieHeader) : null;
  return match ? decodeURIComponent(match[1]!) : undefined;
}

function csrfHolds(method: string, headers: IncomingHttpHeaders): boolean {
  if (SAFE_METHODS.has(method)) return true;
  // A token in a header is not sent by a browser on its own: only a cookie session needs the CSRF proof.
  if (BEARER.test(headers.authorization ?? '') || headers.token) return true;
  const expected = cookieValue(headers.cookie, 'MMCSRF');
  const sent = headers['x-csrf-token'];
  return headers['x-requested-with'] === 'XMLHttpRequest' && !!expected && sent === expected;
}

/** The console user's actor name, or the refusal. */
export async function authenticateConsoleAdmin(identities: TokenIdentities, method: string, headers: IncomingHttpHeaders): Promise<string> {
  const token = sessionTokenFrom(headers);
  const user = token ? await identities.lookup(token) : null;
  if (!user) throw new AppError('mamgate.admin.unauthorized.app_error', { detailed: 'neither an admin token nor a chat-server session' });
  if (!user.isSystemAdmin) throw new AppError('mamgate.admin.not_system_admin.app_error', { params: { Username: user.username } });
  if (!csrfHolds(method, headers)) throw new AppError('mamgate.admin.csrf_failed.app_error');
  return `chat-admin:${user.username}`;
}
