// Runs the real `mamgate` command (node bin/mamgate.js) as a separate process, as an operator would.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(REPO_ROOT, 'bin/mamgate.js');

/** Variables of the test process that would change what the command does; the test sets what it needs. */
const STRIPPED = ['DATABASE_URL', 'MAMGATE_DATA_DIR', 'PORT', 'HOST', 'LOG_LEVEL', 'NODE_TEST_CONTEXT', 'NODE_OPTIONS'];

/** The environment of a command: this process's, without mamgate's variables, plus the given ones. */
export function cliEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of STRIPPED) delete env[name];
  for (const [name, value] of Object.entries(vars)) if (value !== undefined) env[name] = value;
  return env;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The last non-empty line of a text. */
export function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1) ?? '';
}

/** Runs one command to its end; kills it and fails after `timeoutMs`. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, options: { timeoutMs?: number; input?: string } = {}): Promise<CliResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => {
      stdout += c;
    });
    child.stderr.setEncoding('utf8').on('data', (c: string) => {
      stderr += c;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mamgate ${args.join(' ')} did not finish in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  /** Everything the service wrote to standard error so far. */
  stderr(): string;
  /** Everything the service wrote to standard output so far. */
  stdout(): string;
  /** Resolves with the exit code when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends a signal and waits (bounded) for the exit; kills it hard on timeout and fails. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Kills the process if it still runs (for `after` hooks). */
  kill(): void;
}

/** Spawns `mamgate serve` and waits (bounded) for its JSON "mamgate listening" log line (with the url) on standard error. */
/** The service's start line: one JSON log line whose msg is "mamgate listening", with the url it listens on. */
export const LISTENING = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"mamgate listening"/;

export function startServe(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = () => {
    if (running()) child.kill('SIGKILL');
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`mamgate serve did not start in ${timeoutMs} ms\nstderr: ${stderr}\nstdout: ${stdout}`));
    }, timeoutMs);
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      const match = LISTENING.exec(stderr);
      if (!match) return;
      clearTimeout(timer);
      resolve({
        url: match[1]!,
        child,
        stderr: () => stderr,
        stdout: () => stdout,
        exited,
        kill,
        async stop(signal = 'SIGTERM', stopTimeoutMs = 30_000) {
          if (running()) child.kill(signal);
          let stopTimer: NodeJS.Timeout | undefined;
          const timedOut = new Promise<never>((_, rejectStop) => {
            stopTimer = setTimeout(() => {
              kill();
              rejectStop(new Error(`mamgate serve did not stop in ${stopTimeoutMs} ms after ${signal}\nstderr: ${stderr}`));
            }, stopTimeoutMs);
          });
          try {
            return await Promise.race([exited, timedOut]);
          } finally {
            clearTimeout(stopTimer);
          }
        },
      });
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`mamgate serve exited (code ${code}, signal ${signal}) before listening\nstderr: ${stderr}`));
    });
  });
}

/** Polls `${url}/readyz` until it answers 200; fails after `timeoutMs`. */
export async function waitForReady(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const answer = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5000) });
      last = `${answer.status} ${await answer.text()}`;
      if (answer.status === 200) return;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url}/readyz did not answer 200 in ${timeoutMs} ms (last: ${last})`);
}
