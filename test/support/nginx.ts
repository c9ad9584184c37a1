// A throwaway nginx for tests: the companion-mode configuration the README documents (one template, the README's
// block is checked against it), on a free loopback port, with its own prefix directory under /tmp (logs, pid and
// temp paths inside it), in the foreground as the current user. nginx must be installed (prepare.ts installs the
// Debian package); when it is not, starting fails with the command to run, never a silent skip.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const NGINX_CANDIDATES = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/local/nginx/sbin/nginx'];
const START_TIMEOUT_MS = 10_000;

export interface CompanionNginxAddresses {
  /** host:port nginx listens on, e.g. 127.0.0.1:8090. */
  listen: string;
  /** host:port of mamgate. */
  mamgate: string;
  /** host:port of the chat server. */
  chatServer: string;
}

/**
 * The whole nginx.conf for companion mode, as the README shows it. Relative paths are under the prefix (`nginx -p
 * DIR`), so the file runs as is from any directory; pid, daemon and user are given on the command line.
 */
export function companionNginxConfig(a: CompanionNginxAddresses): string {
  return `# nginx in front of the chat server; mamgate (companion mode) is asked before every chat-server call.
worker_processes 1;
error_log error.log warn;
events { worker_connections 1024; }

http {
    access_log            access.log;
    client_body_temp_path tmp/client_body;
    proxy_temp_path       tmp/proxy;
    fastcgi_temp_path     tmp/fastcgi;
    uwsgi_temp_path       tmp/uwsgi;
    scgi_temp_path        tmp/scgi;

    upstream mamgate     { server ${a.mamgate}; }
    upstream chat_server { server ${a.chatServer}; }

    map $http_upgrade $connection_upgrade { default upgrade; '' close; }

    server {
        listen ${a.listen};
        client_max_body_size 50m;
        proxy_set_header Host              $host;
        proxy_set_header X-Forwarded-For   $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header X-Request-Id      $request_id;

        # The gate. The client's headers (Authorization, Token, Cookie, User-Agent) reach it as sent; no body.
        location = /_mamgate_gate {
            internal;
            proxy_pass              http://mamgate/plugins/mamgate/api/v1/gate;
            proxy_pass_request_body off;
            proxy_set_header        Content-Length "";
            proxy_set_header        X-Request-Id $request_id;
            proxy_set_header        X-Forwarded-For $proxy_add_x_forwarded_for;
        }

        # The chat server's API and the plugins' routes: asked at the gate first. A gate answer 401 or 403
        # is the client's answer (X-Mam-Error says why); any other (503: mamgate cannot reach the chat server,
        # or mamgate itself unreachable) nginx turns into 500, answered below as 503.
        location /api/v4/ {
            auth_request     /_mamgate_gate;
            auth_request_set $mam_error $upstream_http_x_mam_error;
            add_header       X-Mam-Error $mam_error always;
            error_page 401 = @mamgate_401;
            error_page 403 = @mamgate_403;
            error_page 500 = @mamgate_down;
            proxy_pass       http://chat_server;
        }
        location = /api/v4/websocket {
            auth_request     /_mamgate_gate;
            auth_request_set $mam_error $upstream_http_x_mam_error;
            add_header       X-Mam-Error $mam_error always;
            error_page 401 = @mamgate_401;
            error_page 403 = @mamgate_403;
            error_page 500 = @mamgate_down;
            proxy_pass         http://chat_server;
            proxy_http_version 1.1;
            proxy_set_header   Upgrade           $http_upgrade;
            proxy_set_header   Connection        $connection_upgrade;
            proxy_set_header   Host              $host;   # proxy_set_header here replaces the server's list
            proxy_set_header   X-Forwarded-For   $proxy_add_x_forwarded_for;
            proxy_set_header   X-Forwarded-Proto $scheme;
            proxy_set_header   X-Request-Id      $request_id;
            proxy_read_timeout 600s;
        }
        location /plugins/ {
            auth_request     /_mamgate_gate;
            auth_request_set $mam_error $upstream_http_x_mam_error;
            add_header       X-Mam-Error $mam_error always;
            error_page 401 = @mamgate_401;
            error_page 403 = @mamgate_403;
            error_page 500 = @mamgate_down;
            proxy_pass       http://chat_server;
        }
        location @mamgate_401 {
            default_type application/json;
            add_header   X-Mam-Error $mam_error always;
            return 401 '{"id":"$mam_error","status_code":401,"request_id":"$request_id"}';
        }
        location @mamgate_403 {
            default_type application/json;
            add_header   X-Mam-Error $mam_error always;
            return 403 '{"id":"$mam_error","status_code":403,"request_id":"$request_id"}';
        }
        location @mamgate_down {
            default_type application/json;
            add_header   X-Mam-Error mamgate.gate.unreachable always;
            return 503 '{"id":"mamgate.gate.unreachable","message":"The Intune gate did not answer.","status_code":503}';
        }

        # Needed before sign-in (or to sign in again with a stale cookie): the chat server answers them ungated.
        location = /api/v4/config/client { proxy_pass http://chat_server; }
        location = /api/v4/license/client { proxy_pass http://chat_server; }
        location /api/v4/users/login      { proxy_pass http://chat_server; }
        location /oauth/                  { proxy_pass http://chat_server; }

        # mamgate's own routes through the chat server's address: the System Console panels, the mobile
        # client's enrollment report and session state.
        location /plugins/mamgate/ { proxy_pass http://mamgate; }

        # The web app, its static files and sign-in pages: no session data, not gated.
        location / { proxy_pass http://chat_server; }
    }
}
`;
}

/** The README's form of the configuration: mamgate on 8080, the chat server on 8065, nginx on 8090. */
export const README_ADDRESSES: CompanionNginxAddresses = { listen: '127.0.0.1:8090', mamgate: '127.0.0.1:8080', chatServer: '127.0.0.1:8065' };

export interface TestNginx {
  url: string;
  port: number;
  prefix: string;
  /** The error log so far (for failure messages). */
  errorLog(): string;
  /** Stops nginx (SIGQUIT, then SIGKILL) and removes its prefix directory. */
  stop(): Promise<void>;
}

export function nginxBinary(): string {
  const found = NGINX_CANDIDATES.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(
      `nginx is not installed (looked at ${NGINX_CANDIDATES.join(', ')}); the companion end-to-end test needs it: ` +
        'run `npm test` as root (its pretest installs it) or `apt-get install -y nginx`',
    );
  }
  return found;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function hostPort(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || (parsed.protocol === 'https:' ? 443 : 80)}`;
}

/** nginx's command line for a prefix directory: foreground, pid in the prefix, and `user root` only as root. */
export function nginxArguments(prefix: string): string[] {
  // As root the master starts its workers as `nobody`, who cannot enter a 0700 directory under /tmp (the temp
  // paths); as another user nginx cannot switch users and ignores the directive with a warning, so it is left out.
  const asRoot = process.getuid?.() === 0;
  const globals = `daemon off; pid ${path.join(prefix, 'nginx.pid')};${asRoot ? ' user root;' : ''}`;
  return ['-p', `${prefix}/`, '-c', path.join(prefix, 'nginx.conf'), '-e', path.join(prefix, 'error.log'), '-g', globals];
}

/** Starts nginx in front of mamgate and the chat server (URLs), and waits until it answers. */
export async function startNginx(options: { mamgateUrl: string; chatServerUrl: string }): Promise<TestNginx> {
  const binary = nginxBinary();
  const prefix = mkdtempSync('/tmp/mamgate-nginx-');
  const errorLogPath = path.join(prefix, 'error.log');
  const errorLog = () => (existsSync(errorLogPath) ? readFileSync(errorLogPath, 'utf8') : '');
  const port = await freePort();
  const config = companionNginxConfig({ listen: `127.0.0.1:${port}`, mamgate: hostPort(options.mamgateUrl), chatServer: hostPort(options.chatServerUrl) });
  writeFileSync(path.join(prefix, 'nginx.conf'), config);
  spawnSync('mkdir', ['-p', path.join(prefix, 'tmp')]);
  const args = nginxArguments(prefix);
  const checked = spawnSync(binary, [...args, '-t'], { encoding: 'utf8' });
  if (checked.status !== 0) {
    rmSync(prefix, { recursive: true, force: true });
    throw new Error(`nginx -t refused the companion configuration:\n${checked.stderr}`);
  }
  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;

  async function stop(): Promise<void> {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(prefix, { recursive: true, force: true });
  }

  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const log = errorLog();
      await stop();
      throw new Error(`nginx exited at start (${child.exitCode ?? child.signalCode}):\n${stderr}${log}`);
    }
    const answered = await fetch(`${url}/_nginx_ready`, { signal: AbortSignal.timeout(1000) }).then(
      () => true,
      () => false,
    );
    if (answered) break;
    if (Date.now() - started > START_TIMEOUT_MS) {
      const log = errorLog();
      await stop();
      throw new Error(`nginx did not answer on ${url} within ${START_TIMEOUT_MS} ms:\n${stderr}${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, port, prefix, errorLog, stop };
}
