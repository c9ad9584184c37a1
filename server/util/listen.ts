import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on the port (0: any free one) and host, and answers the server's base URL (IPv6 hosts bracketed). */
export async function listenOn(server: Server, port: number, host: string): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`, port: address.port };
}
