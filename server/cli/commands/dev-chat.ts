// `mamgate dev-chat`: the development stand-in for the Mattermost server, so mamgate can be tried end to end on one
// machine without a chat server.
import type { Command } from '../command.ts';
import type { Output } from '../output.ts';
import { isLoopback, portOption, untilSignal } from '../dev-server.ts';

/** Runs the stand-in until `until` settles; prints its URL and curl lines that create a user and a session. */
export async function runDevChat(options: { port: number; host: string }, output: Output, until: Promise<unknown>): Promise<void> {
  const { startDevChat } = await import('../../devchat/dev-chat.ts');
  const chat = await startDevChat(options);
  output.out(`chat server: ${chat.url}   (REST at ${chat.url}/api/v4, WebSocket at ${chat.url.replace(/^http/, 'ws')}/api/v4/websocket)`);
  output.out(
    `create a user: curl -s -X POST ${chat.url}/dev/users -H 'content-type: application/json' -d '{"username":"jane","email":"jane@example.com","auth_service":"office365","auth_data":"<Entra object id>","roles":"system_user"}'`,
  );
  output.out(
    `create a session: curl -s -X POST ${chat.url}/dev/sessions -H 'content-type: application/json' -d '{"user_id":"<id from above>","props":{"os":"iOS","isMobile":"true"}}'`,
  );
  if (!isLoopback(options.host)) output.err(`warning: listening on ${options.host}; the /dev endpoints have no authentication (they answer loopback clients only)`);
  try {
    await until;
  } finally {
    await chat.stop();
  }
}

export const devChatCommand: Command = {
  path: ['dev-chat'],
  summary: 'run a development stand-in for the Mattermost server (REST v4, WebSocket, users, sessions, config, license)',
  usage: [
    'mamgate dev-chat [--port 8065] [--host 127.0.0.1]',
    '',
    'Serves the Mattermost REST v4 calls mamgate makes (users/me, users/{id}, sessions, revoke, config, config/client,',
    'license/client, system/ping) and the WebSocket at /api/v4/websocket. Control API (no authentication, loopback',
    'clients only): POST /dev/users, POST /dev/sessions, PATCH /dev/config, PUT /dev/license, POST /dev/mode',
    '{mode: up|down|hang|slow, delayMs}, GET /dev/stats, GET /dev/export (bulk export JSONL).',
    'For development only: never expose it beyond this machine.',
  ].join('\n'),
  options: {
    port: { type: 'string' },
    host: { type: 'string' },
  },
  async run({ values, output }) {
    const options = { port: portOption(values.port, 8065), host: String(values.host ?? '127.0.0.1') };
    await runDevChat(options, output, untilSignal(output));
    return 0;
  },
};
