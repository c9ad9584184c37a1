// Users and sessions as Mattermost serialises them. Field names, order and `omitempty` follow the structs of
// server/public/model/user.go (User; Sanitize blanks password, auth_data and mfa_secret, and with options also
// email, names and auth_service) and server/public/model/session.go (Session; Sanitize blanks the token) in
// mattermost/mattermost. Go's omitempty drops "", 0, false, nil and empty maps, which is why e.g. `is_bot` and
// `password` are absent from a sanitised user rather than false/"".

export type StringMap = Record<string, string>;

export interface ChatUser {
  id: string;
  create_at: number;
  update_at: number;
  delete_at: number;
  username: string;
  password: string;
  auth_data: string | null;
  auth_service: string;
  email: string;
  email_verified: boolean;
  nickname: string;
  first_name: string;
  last_name: string;
  position: string;
  roles: string;
  props: StringMap;
  notify_props: StringMap;
  last_password_update: number;
  locale: string;
  timezone: StringMap;
  is_bot: boolean;
}

export interface ChatSession {
  id: string;
  token: string;
  create_at: number;
  expires_at: number;
  last_activity_at: number;
  user_id: string;
  device_id: string;
  roles: string;
  is_oauth: boolean;
  expired_notify: boolean;
  props: StringMap;
  local: boolean;
}

const isEmpty = (value: unknown) =>
  value === '' ||
  value === 0 ||
  value === false ||
  value === null ||
  value === undefined ||
  (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0);

/** Drops the `omitempty` fields that hold their zero value, keeping the struct's field order. */
function omitEmpty(entries: [key: string, value: unknown, omitempty: boolean][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value, omitempty] of entries) if (!(omitempty && isEmpty(value))) out[key] = value;
  return out;
}

function userJson(user: ChatUser): Record<string, unknown> {
  return omitEmpty([
    ['id', user.id, false],
    ['create_at', user.create_at, true],
    ['update_at', user.update_at, true],
    ['delete_at', user.delete_at, false],
    ['username', user.username, false],
    ['password', user.password, true],
    // auth_data is a *string with omitempty: only nil is dropped, so a sanitised "" stays.
    ...(user.auth_data === null ? [] : [['auth_data', user.auth_data, false] as [string, unknown, boolean]]),
    ['auth_service', user.auth_service, false],
    ['email', user.email, false],
    ['email_verified', user.email_verified, true],
    ['nickname', user.nickname, false],
    ['first_name', user.first_name, false],
    ['last_name', user.last_name, false],
    ['position', user.position, false],
    ['roles', user.roles, false],
    ['props', user.props, true],
    ['notify_props', user.notify_props, true],
    ['last_password_update', user.last_password_update, true],
    ['locale', user.locale, false],
    ['timezone', user.timezone, false],
    ['is_bot', user.is_bot, true],
    ['disable_welcome_email', false, false],
  ]);
}

/** GET /users/me and a user reading itself: User.Sanitize(map[string]bool{}) (no options: only secrets go). */
export function userForSelf(user: ChatUser): Record<string, unknown> {
  return userJson({ ...user, password: '', auth_data: '' });
}

/**
 * A system admin reading another user: App.SanitizeProfile(user, asAdmin=true), i.e. ClearNonProfileFields
 * (secrets, email_verified, notify_props, last_password_update) then Sanitize with every option granted.
 */
export function userForAdmin(user: ChatUser): Record<string, unknown> {
  return userJson({ ...user, password: '', auth_data: '', email_verified: false, notify_props: {}, last_password_update: 0 });
}

/** Session.Sanitize: the token is blanked; team_members is not loaded by GetSessions, so it is null. */
export function sanitizedSession(session: ChatSession): Record<string, unknown> {
  return {
    id: session.id,
    token: '',
    create_at: session.create_at,
    expires_at: session.expires_at,
    last_activity_at: session.last_activity_at,
    user_id: session.user_id,
    device_id: session.device_id,
    roles: session.roles,
    is_oauth: session.is_oauth,
    expired_notify: session.expired_notify,
    props: session.props,
    team_members: null,
    local: session.local,
  };
}

export const isSystemAdmin = (roles: string) => roles.split(/\s+/).includes('system_admin');
