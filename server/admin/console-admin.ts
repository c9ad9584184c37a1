// The System Console's own session as an admin credential (companion mode). The plugin's panels call mamgate
// through the same proxy as the chat server, with the console's cookies; mamgate asks the chat server whose
// session it is, and accepts only a system admin. A write carried by the session cookie must carry the CSRF
// header the chat server's web app sends (X-CSRF-Token equal to the MMCSRF cookie, X-Requested-With
// XMLHttpRequest): another site can make the browser send the cookie, but cannot read it to copy it.
import type { IncomingHttpHeaders } from 'node:http';
import type { TokenIdentities } from '../chatserver/token-identities.ts';
import { AppError } from '../errors/app-error.ts';
import { csrfHolds } from '../sessions/csrf-proof.ts';
import { sessionTokenFrom } from '../sessions/session-token.ts';

/** The console user's actor name, or the refusal. */
export async function authenticateConsoleAdmin(identities: TokenIdentities, method: string, headers: IncomingHttpHeaders): Promise<string> {
  const token = sessionTokenFrom(headers);
  const user = token ? await identities.lookup(token) : null;
  if (!user) throw new AppError('mamgate.admin.unauthorized.app_error', { detailed: 'neither an admin token nor a chat-server session' });
  if (!user.isSystemAdmin) throw new AppError('mamgate.admin.not_system_admin.app_error', { params: { Username: user.username } });
  // Both proofs, stricter than the chat server's either-one: this session changes mamgate's settings.
  if (!csrfHolds(method, headers, 'both')) throw new AppError('mamgate.admin.csrf_failed.app_error');
  return `chat-admin:${user.username}`;
}
