// How a new chat session is handed to a Mattermost-style client: the user JSON, the Token header and the
// MMAUTHTOKEN / MMUSERID / MMCSRF cookies, set as a chat server sets them.
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { UserRow } from '../db/stores/user-store.ts';

/** The user as a chat server answers it to its owner: auth data blanked, Mattermost field names, ms times. */
export function sanitizedUser(user: UserRow): Record<string, unknown> {
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

export function sendNewSession(req: Request, res: Response, session: { token: string; expiresAt: Date; user: UserRow }): void {
  const maxAge = Math.max(0, session.expiresAt.getTime() - Date.now());
  const common = { path: '/', maxAge, secure: req.secure, sameSite: 'lax' as const };
  res.setHeader('Token', session.token);
  res.cookie('MMAUTHTOKEN', session.token, { ...common, httpOnly: true });
  res.cookie('MMUSERID', session.user.id, { ...common, httpOnly: false });
  res.cookie('MMCSRF', randomBytes(18).toString('base64url'), { ...common, httpOnly: false });
  res.json(sanitizedUser(session.user));
}
