import { readEnvironment } from '../config/env.ts';
import { AppError } from '../errors/app-error.ts';
import { toAppError } from '../errors/classify.ts';
import { type Command, parseCommandArgs } from './command.ts';
import {
  adminTokenCreateCommand,
  adminTokenListCommand,
  adminTokenRevokeCommand,
  enrollmentVerifyCommand,
  licenseGetCommand,
  licenseSetCommand,
  migrateCommand,
  settingsGetCommand,
  settingsSetCommand,
  usersImportCommand,
} from './commands/operations.ts';
import { devChatCommand } from './commands/dev-chat.ts';
import { devIdpCommand } from './commands/dev-idp.ts';
import { ldapSyncCommand } from './commands/ldap.ts';
import { preflightCommand } from './commands/preflight.ts';
import { reportIdentityCommand } from './commands/report.ts';
import { serveCommand } from './commands/serve.ts';
import { tunnelValidateCommand } from './commands/tunnel.ts';
import { type Output, printError, processOutput } from './output.ts';
import { closestCommand } from './suggest.ts';
import { MAMGATE_VERSION } from '../version.ts';

export const commands: Command[] = [
  serveCommand,
  migrateCommand,
  adminTokenCreateCommand,
  adminTokenListCommand,
  adminTokenRevokeCommand,
  settingsGetCommand,
  settingsSetCommand,
  licenseGetCommand,
  licenseSetCommand,
  usersImportCommand,
  enrollmentVerifyCommand,
  reportIdentityCommand,
  ldapSyncCommand,
  preflightCommand,
  tunnelValidateCommand,
  devIdpCommand,
  devChatCommand,
];

function overview(): string {
  const width = Math.max(...commands.map((c) => c.path.join(' ').length));
  return [
    'usage: mamgate COMMAND [options]   (every command answers --help)',
    '',
    ...commands.map((c) => `  ${c.path.join(' ').padEnd(width)}  ${c.summary}`),
    '',
    'Beside a running service, commands go through its control socket in MAMGATE_DATA_DIR; otherwise they open the database themselves.',
  ].join('\n');
}

/** The longest command path that the arguments start with, and the words after it. */
function findCommand(argv: string[]): { command?: Command; rest: string[] } {
  let best: Command | undefined;
  for (const command of commands) {
    if (command.path.every((word, i) => argv[i] === word) && command.path.length > (best?.path.length ?? 0)) best = command;
  }
  return { command: best, rest: best ? argv.slice(best.path.length) : argv };
}

export async function main(argv: string[], output: Output = processOutput): Promise<number> {
  if (argv.length === 1 && argv[0] === '--version') {
    output.out(MAMGATE_VERSION);
    return 0;
  }
  const { command, rest } = findCommand(argv);
  if (!command) {
    const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h');
    if (wantsHelp) {
      output.out(overview());
      return 0;
    }
    // Only the words before the first option are the command the operator tried to name.
    const firstOption = argv.findIndex((a) => a.startsWith('-'));
    const words = firstOption === -1 ? argv : argv.slice(0, Math.max(1, firstOption));
    const suggestion = closestCommand(words, commands.map((c) => c.path));
    printError(output, new AppError('mamgate.cli.unknown_command.app_error', { params: { Command: words.join(' '), Suggestion: suggestion } }).toBody(''));
    output.err('');
    output.err(overview());
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    output.out(`${command.usage}\n\n${command.summary}`);
    return 0;
  }
  try {
    const { values, positionals } = (() => {
      try {
        return parseCommandArgs(command, rest);
      } catch (error) {
        throw new AppError('mamgate.cli.usage.app_error', { params: { Problem: (error as Error).message } });
      }
    })();
    return await command.run({ values, positionals, env: readEnvironment(), output });
  } catch (error) {
    const appError = toAppError(error);
    printError(output, appError.toBody(''));
    if (appError.id === 'mamgate.internal.app_error') output.err(String((error as Error)?.stack ?? error));
    return appError.id === 'mamgate.cli.usage.app_error' ? 2 : 1;
  }
}
