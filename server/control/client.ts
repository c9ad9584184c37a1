import http from 'node:http';
import type { AppErrorBody } from '../errors/app-error.ts';

export type ControlAnswer = { reached: false } | { reached: true; result?: unknown; error?: AppErrorBody };

function request(socketPath: string, method: string, path: string, body?: unknown, timeoutMs = 30_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, method, path, headers: { 'content-type': 'application/json' }, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('control socket timed out')));
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function unreachable(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ECONNREFUSED' || code === 'ENOTSOCK';
}

/** True when a service answers on the socket. */
export async function probeControlSocket(socketPath: string): Promise<boolean> {
  try {
    return (await request(socketPath, 'GET', '/ping', undefined, 2000)).status === 200;
  } catch {
    return false;
  }
}

/** Asks the running service to run an operation; `reached: false` when no service listens. */
export async function callControl(socketPath: string, operation: string, args: Record<string, unknown>, actor: string): Promise<ControlAnswer> {
  try {
    const answer = await request(socketPath, 'POST', `/op/${operation}`, { args, actor });
    const parsed = JSON.parse(answer.body) as { result?: unknown; error?: AppErrorBody };
    return { reached: true, ...parsed };
  } catch (error) {
    if (unreachable(error)) return { reached: false };
    throw error;
  }
}
