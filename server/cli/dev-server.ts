// What the development servers' commands (dev-idp, dev-chat) share: their --port, the loopback warning, and running
// until the operator presses Ctrl-C or the process is told to stop.
import { AppError } from '../errors/app-error.ts';
import type { Output } from './output.ts';

export function portOption(value: unknown, fallback: number): number {
  const port = Number(value ?? fallback);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AppError('mamgate.cli.usage.app_error', { params: { Problem: `--port must be 0-65535, got "${String(value)}"` } });
  }
  return port;
}

export function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === '::1' || host === 'localhost';
}

/** Resolves at the first SIGINT or SIGTERM, saying so on standard error. */
export function untilSignal(output: Output): Promise<void> {
  return new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      output.err(`${signal} received: stopping`);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
