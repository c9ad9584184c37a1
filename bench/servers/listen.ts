// Shared start-up of the baseline servers: listen on loopback (PORT or a free port), print the URL the runner
// waits for, exit on SIGTERM.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export function listen(server: Server, label: string): void {
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const { port } = server.address() as AddressInfo;
    process.stdout.write(`${label} listening on http://127.0.0.1:${port}\n`);
  });
  process.once('SIGTERM', () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
