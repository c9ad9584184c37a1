// How a new chat session is handed to a Mattermost-style client: the user JSON, the Token header and the
// MMAUTHTOKEN / MMUSERID / MMCSRF cookies, set as a chat server sets them.
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { UserRow } from '../db/stores/user-store.ts';
import type { z } from 'zod';
import { sessionCookie } from '../util/cookies.ts';
import { writeJson } from './answer.ts';
import type { signedInUser } from './routes/mobile-session.schemas.ts';

/** The user as a chat server answers it to its owner: auth data blanked, Mattermost field names, ms times. */
export function sanitizedUser(user: UserRow): z.output<typeof signedInUser> {
  const ms = (date: Date | null) => (date ? new Date(date).getTime() : 0);
  return {
    id: user.id,
    create_at: ms(user.created_at),
    update_at: ms(user.updated_at),
    delete_at: ms(user.deleted_at),
    username: user.username,
    auth_data: '',
    auth_service: user.auth_service,
    email: user.email,
    email_verified: true,
    nickname: '',
    first_name: user.first_name,
    last_name: user.last_name,
    position: '',
    roles: 'system_user',
    locale: 'en',
    is_bot: user.is_bot,
  };
}

// Written with node's own response calls: the sign-in answers on plain node:http (see sign-in-handler.ts).
export function sendNewSession(res: ServerResponse, secure: boolean, session: { token: string; expiresAt: Date; user: UserRow }): void {
  const maxAge = Math.max(0, session.expiresAt.getTime() - Date.now());
  res.setHeader('Token', session.token);
  res.setHeader('Set-Cookie', [
    sessionCookie('MMAUTHTOKEN', session.token, { maxAgeMs: maxAge, secure, httpOnly: true }),
    sessionCookie('MMUSERID', session.user.id, { maxAgeMs: maxAge, secure, httpOnly: false }),
    sessionCookie('MMCSRF', randomBytes(18).toString('base64url'), { maxAgeMs: maxAge, secure, httpOnly: false }),
  ]);
  const body = JSON.stringify(sanitizedUser(session.user));
  writeJson(res, 200, body);
}
