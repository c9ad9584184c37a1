// How the CLI talks: results on standard output, errors from the catalogue on standard error.
import type { AppErrorBody } from '../errors/app-error.ts';

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: Output = {
  out: (line) => {
    process.stdout.write(`${line}\n`);
  },
  err: (line) => {
    process.stderr.write(`${line}\n`);
  },
};

export function printJson(output: Output, value: unknown): void {
  output.out(JSON.stringify(value, null, 2));
}

export function printError(output: Output, error: AppErrorBody): void {
  output.err(`error: ${error.message}`);
  output.err(`  id: ${error.id}${error.mam_error ? ` (${error.mam_error})` : ''}`);
  for (const f of error.field_errors ?? []) output.err(`  - ${f.field}: ${f.message}`);
  output.err(`  next step: ${error.next_step}`);
}
