// The chat server stand-in (dev-chat, server/devchat/dev-chat.ts) in its own process for the companion scenario.
// The runner sets it up through dev-chat's own control API (POST /dev/users, /dev/sessions, PATCH /dev/config,
// PUT /dev/license, GET /dev/export) and reads its counters with GET /dev/stats; the one thing that API has no
// route for, resetting the counters (calls per route, most calls at once), is a second loopback listener here.
//   node --import tsx dev-chat.ts   prints "dev-chat listening on http://127.0.0.1:API,http://127.0.0.1:RESET"
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDevChat } from '../../server/devchat/dev-chat.ts';

const chat = await startDevChat();
const control = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/reset-stats') {
    chat.resetStats();
    res.writeHead(204).end();
  } else {
    res.writeHead(404).end();
  }
});
control.listen(0, '127.0.0.1', () => {
  const { port } = control.address() as AddressInfo;
  process.stdout.write(`dev-chat listening on ${chat.url},http://127.0.0.1:${port}\n`);
});
process.once('SIGTERM', () => {
  control.close();
  control.closeAllConnections();
  void chat.stop().then(() => process.exit(0));
});
