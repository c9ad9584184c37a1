// The chat server's bulk export (`mmctl export`, or the export job): JSON Lines of `{"type": …, …}` objects. Its
// user lines `{"type":"user","user":{username, email, auth_service, auth_data, first_name, last_name, …}}` are the
// only place outside the chat server's database where auth_data (the objectId) is readable; they carry no id, so
// accounts are matched to chat users by username. Every other line type (version, team, channel, post…) is not
// about accounts and is passed over.
import { userStore } from '../db/stores/user-store.ts';
import type { ServiceContext } from '../context.ts';

export type ImportLine = { kind: 'account'; value: Record<string, unknown> } | { kind: 'other' };

export function importLineOf(value: Record<string, unknown>): ImportLine {
  if (typeof value.type !== 'string') return { kind: 'account', value };
  if (value.type !== 'user' || !value.user || typeof value.user !== 'object') return { kind: 'other' };
  return { kind: 'account', value: { ...(value.user as Record<string, unknown>) } };
}

/** Finds the chat-server user id of each username: the chat server's answer when connected, else an earlier import. */
export type UsernameResolver = (usernames: string[]) => Promise<Map<string, string>>;

export function usernameResolver(ctx: ServiceContext): UsernameResolver {
  return async (usernames) => {
    const ids = new Map<string, string>();
    const connection = ctx.chatServer?.connection;
    if (connection) {
      for (const user of await connection.usersByUsername(usernames)) ids.set(user.username, user.id);
    }
    const missing = usernames.filter((u) => !ids.has(u));
    if (missing.length > 0) {
      const rows = await userStore.idsOfUsernames(ctx.db, missing);
      for (const row of rows) ids.set(row.username, row.id);
    }
    return ids;
  };
}
