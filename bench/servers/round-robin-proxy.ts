// A tiny TCP round-robin proxy for the two-node scenario, in its own process. Each route listens on its own
// loopback port and hands every new client connection to the next backend of its list, then only moves bytes.
//   PROXY_ROUTES="http://127.0.0.1:A|http://127.0.0.1:A,http://127.0.0.1:B" node --import tsx round-robin-proxy.ts
// prints "round-robin proxy listening on http://127.0.0.1:P1,http://127.0.0.1:P2" (one URL per route).
// Why per connection at the TCP level rather than per request through node:http: an HTTP proxy in Node parses
// and re-writes every request and answer, about the CPU of a whole gate answer (bare node:http costs ~27 µs/req
// here, the gate ~26), so on two cores it would measure the proxy. A TCP proxy costs a few syscalls per request,
// and with the generator's 50 keep-alive connections, connection round-robin spreads them exactly 25 / 25 — how a
// layer-4 balancer (HAProxy mode tcp, a Kubernetes Service) spreads long-lived connections.
import net from 'node:net';

interface Backend {
  host: string;
  port: number;
}

function parseRoutes(text: string | undefined): Backend[][] {
  if (!text) throw new Error('PROXY_ROUTES is required');
  return text.split('|').map((route) =>
    route.split(',').map((url) => {
      const { hostname, port } = new URL(url);
      return { host: hostname, port: Number(port) };
    }),
  );
}

function startRoute(backends: Backend[]): Promise<net.Server> {
  let next = 0;
  const server = net.createServer((client) => {
    const backend = backends[next++ % backends.length]!;
    const upstream = net.connect(backend.port, backend.host);
    // Small requests and answers: send each at once, as the load generator and the servers do.
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.once('error', close);
    upstream.once('error', close);
    client.once('close', close);
    upstream.once('close', close);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

const servers = await Promise.all(parseRoutes(process.env.PROXY_ROUTES).map(startRoute));
const urls = servers.map((s) => `http://127.0.0.1:${(s.address() as net.AddressInfo).port}`);
process.stdout.write(`round-robin proxy listening on ${urls.join(',')}\n`);
process.once('SIGTERM', () => process.exit(0));
