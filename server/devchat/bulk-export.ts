// Bulk export lines as `mmctl export` writes them (server/channels/app/imports/import_types.go in
// mattermost/mattermost): a version line {"type":"version","version":1,"info":{generator,version,created}} first,
// then one {"type":"user","user":UserImportData} per user. Only the UserImportData fields dev-chat knows are
// written; auth_data is `omitempty` and so absent for users without one.
import type { ChatUser } from './model.ts';

export function exportJsonl(users: Iterable<ChatUser>, serverVersion: string): string {
  const lines: unknown[] = [
    { type: 'version', version: 1, info: { generator: 'mamgate dev-chat', version: serverVersion, created: new Date().toISOString() } },
  ];
  for (const user of users) {
    lines.push({
      type: 'user',
      user: {
        username: user.username,
        email: user.email,
        auth_service: user.auth_service,
        ...(user.auth_data ? { auth_data: user.auth_data } : {}),
        nickname: user.nickname,
        first_name: user.first_name,
        last_name: user.last_name,
        position: user.position,
        roles: user.roles,
        locale: user.locale,
        ...(user.delete_at > 0 ? { delete_at: user.delete_at } : {}),
      },
    });
  }
  return lines.map((line) => JSON.stringify(line)).join('\n') + '\n';
}
