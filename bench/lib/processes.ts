// Server processes of the bench: each started in its own process (pinned when possible), ready when it prints
// its URL, drained so a full pipe never blocks it, and stopped by its own pid.
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  name: string;
  pid: number;
  url: string;
  /** The last lines the process printed (for diagnostics when something goes wrong). */
  tail(): string[];
  alive(): boolean;
  stop(): Promise<void>;
}

export interface ServerSpec {
  name: string;
  /** argv after the pinning prefix, e.g. [process.execPath, "--import", "tsx", "bench/servers/bare-http.ts"] */
  argv: string[];
  env?: NodeJS.ProcessEnv;
  pin: string[];
  /** First capture group: the URL. Looked for on stdout and stderr. */
  ready: RegExp;
  timeoutMs?: number;
}

const TAIL_LINES = 40;

export function startServer(spec: ServerSpec): Promise<ServerProcess> {
  const argv = [...spec.pin, ...spec.argv];
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), {
    env: { ...process.env, ...spec.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let exited = false;
  const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => {
    exited = true;
  });

  return new Promise<ServerProcess>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`${spec.name} did not report a URL within ${spec.timeoutMs ?? 60_000} ms`)), spec.timeoutMs ?? 60_000);
    const stop = async (): Promise<void> => {
      if (exited) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exit;
      clearTimeout(killer);
    };
    function fail(error: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop();
      reject(new Error(`${error.message}\n--- last output of ${spec.name} ---\n${lines.join('\n')}`));
    }
    const onLine = (line: string) => {
      lines.push(line);
      if (lines.length > TAIL_LINES) lines.shift();
      if (settled) return;
      const match = spec.ready.exec(line);
      if (match) {
        settled = true;
        clearTimeout(timer);
        resolve({ name: spec.name, pid: child.pid!, url: match[1]!, tail: () => [...lines], alive: () => !exited, stop });
      }
    };
    createInterface({ input: child.stdout! }).on('line', onLine);
    createInterface({ input: child.stderr! }).on('line', onLine);
    child.once('error', (error) => fail(error));
    child.once('exit', (code, signal) => fail(new Error(`${spec.name} exited before it was ready (code ${code}, signal ${signal})`)));
  });
}
