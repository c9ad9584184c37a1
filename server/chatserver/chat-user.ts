// What mamgate needs to know about a chat-server account, in the domain's words. Built from Mattermost's user
// JSON (server/public/model/user.go): `roles` is a space-separated list; `auth_data` is always blank over REST.
export interface ChatUser {
  id: string;
  username: string;
  email: string;
  /** "" for email/password, else the sign-in method (office365, saml, gitlab, ldap…). */
  authService: string;
  isSystemAdmin: boolean;
}

interface MattermostUser {
  id?: unknown;
  username?: unknown;
  email?: unknown;
  auth_service?: unknown;
  roles?: unknown;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function chatUserOf(json: unknown): ChatUser {
  const user = (json ?? {}) as MattermostUser;
  const roles = text(user.roles).split(/\s+/);
  return {
    id: text(user.id),
    username: text(user.username).toLowerCase(),
    email: text(user.email).toLowerCase(),
    authService: text(user.auth_service),
    isSystemAdmin: roles.includes('system_admin'),
  };
}

/** Mattermost's Session.IsMobileApp (model/session.go): a device id, or the prop "isMobile" parsed as a bool. */
export interface ChatSession {
  id: string;
  userId: string;
  deviceId: string;
  isMobile: boolean;
}

interface MattermostSession {
  id?: unknown;
  user_id?: unknown;
  device_id?: unknown;
  props?: Record<string, unknown>;
}

export function chatSessionOf(json: unknown): ChatSession {
  const session = (json ?? {}) as MattermostSession;
  const deviceId = text(session.device_id);
  return {
    id: text(session.id),
    userId: text(session.user_id),
    deviceId,
    isMobile: deviceId !== '' || /^(?:1|t|true)$/i.test(text(session.props?.isMobile)),
  };
}
