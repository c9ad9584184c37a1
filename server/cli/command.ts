import { type ParseArgsConfig, parseArgs } from 'node:util';
import type { Environment } from '../config/env.ts';
import type { Output } from './output.ts';

export interface CommandInput {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
  env: Environment;
  output: Output;
}

export interface Command {
  /** Words that name the command, e.g. ['admin', 'token', 'create']. */
  path: string[];
  summary: string;
  usage: string;
  options?: ParseArgsConfig['options'];
  /** Returns the exit code. */
  run(input: CommandInput): Promise<number>;
}

export function parseCommandArgs(command: Command, argv: string[]) {
  return parseArgs({ args: argv, options: command.options ?? {}, allowPositionals: true, strict: true });
}
