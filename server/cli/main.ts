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
  const { command, rest } = findCommand(argv);
  if (!command) {
    const wantsHelp = argv.length === 0 || argv.includes('--help') || argv.includes('-h');
    (wantsHelp ? output.out : output.err)(overview());
    return wantsHelp ? 0 : 2;
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
