// A loopback HTTP server that stands in front of the development issuer as the Entra authority, so a test can make
// the signing-key endpoint answer garbage: `pass` forwards to the issuer; `html`, `text`, `no-keys` and `huge`
// answer 200 with a body that is not a usable JWKS; `slow` forwards after `slowMs`. Tokens must then be minted
// with `iss` = issuerFor(tenant), since the authority is this server's URL.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FrontMode = 'pass' | 'html' | 'text' | 'no-keys' | 'huge' | 'slow';

export interface JwksFront {
  url: string;
  mode: FrontMode;
  slowMs: number;
  /** Requests for a key document seen so far. */
  readonly keyFetches: number;
  issuerFor(tenant: string): string;
  stop(): Promise<void>;
}

export async function startJwksFront(upstream: string): Promise<JwksFront> {
  let keyFetches = 0;
  const state = { mode: 'pass' as FrontMode, slowMs: 8000 };
  const open = new Set<ServerResponse>();

  const forward = async (path: string, res: ServerResponse) => {
    try {
      const answer = await fetch(`${upstream}${path}`);
      const body = Buffer.from(await answer.arrayBuffer());
      if (res.destroyed) return;
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(body);
    } catch {
      res.destroy();
    }
  };

  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    const path = req.url ?? '/';
    if (!/\/keys$/.test(path)) return void forward(path, res);
    keyFetches++;
    switch (state.mode) {
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html' });
        return void res.end('<!doctype html><html><body><h1>Sign in to your account</h1></body></html>');
      case 'text':
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end('{"keys": [ {"kty": "RSA", "kid": ');
      case 'no-keys':
        res.writeHead(200, { 'content-type': 'application/json' });
        return void res.end(JSON.stringify({ keys: [{ kty: 'EC', kid: 'x', crv: 'P-256' }, { kty: 'RSA', kid: 'y', n: '!!', e: 'AQAB' }], junk: '*)(uid=*' }));
      case 'huge': {
        // 8 MB of a JSON string, streamed without a Content-Length: the fetch must stop reading at its cap.
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"keys":[],"pad":"');
        const chunk = 'A'.repeat(64 * 1024);
        let sent = 0;
        const pump = () => {
          while (sent < 128 && !res.destroyed) {
            sent++;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          if (!res.destroyed) res.end('"}');
        };
        return pump();
      }
      case 'slow': {
        const timer = setTimeout(() => void forward(path, res), state.slowMs);
        res.on('close', () => clearTimeout(timer));
        return;
      }
      default:
        return void forward(path, res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    get mode() {
      return state.mode;
    },
    set mode(mode: FrontMode) {
      state.mode = mode;
    },
    get slowMs() {
      return state.slowMs;
    },
    set slowMs(ms: number) {
      state.slowMs = ms;
    },
    get keyFetches() {
      return keyFetches;
    },
    issuerFor: (tenant: string) => `${url}/${tenant}/v2.0`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
