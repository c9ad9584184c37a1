// Commands that are one operation each: they run in the running service or on the database (operation-runner).
import type { Command, CommandInput } from '../command.ts';
import { existingFile, readInputFile } from '../files.ts';
import { defaultSettings } from '../../settings/model.ts';
import type { ImportJobView } from '../../users/import-jobs.ts';
import { openOperationChannel, runCliOperation, usageError } from '../operation-runner.ts';
import { printError, printJson } from '../output.ts';
import { progressOn } from '../progress.ts';

/** How often `users import` asks how far the import has read. */
const POLL_MS = 200;

/** Runs an operation and prints its result; `print` may return an exit code (a partial failure, say). */
async function execute(
  input: CommandInput,
  name: string,
  args: Record<string, unknown>,
  print: (result: unknown) => number | undefined | void,
): Promise<number> {
  const outcome = await runCliOperation(input.env, name, args);
  if (!outcome.ok) {
    printError(input.output, outcome.error);
    return 1;
  }
  const code = print(outcome.result);
  return typeof code === 'number' ? code : 0;
}

function readJsonFile(file: string): unknown {
  const text = readInputFile(file);
  try {
    return JSON.parse(text);
  } catch {
    throw usageError(`${file === '-' ? 'standard input' : file} is not valid JSON`);
  }
}

/** The default of a known setting, to tell text keys from the others; undefined for unknown keys. */
function defaultOf(section: string, key: string): unknown {
  return (defaultSettings() as unknown as Record<string, Record<string, unknown> | undefined>)[section]?.[key];
}

/**
 * Section.Key=value. Text settings take the value as it is (a password "123456" stays text); lists take a JSON
 * array or comma-separated values; other keys read the value as JSON when it parses (true, 5) and as text otherwise.
 */
function parseAssignments(assignments: string[]): Record<string, Record<string, unknown>> {
  const update: Record<string, Record<string, unknown>> = {};
  for (const assignment of assignments) {
    const match = /^(\w+)\.(\w+)=(.*)$/s.exec(assignment);
    if (!match) throw usageError(`"${assignment}" is not Section.Key=value`);
    const [, section, key, raw] = match as unknown as [string, string, string, string];
    const known = defaultOf(section, key);
    let value: unknown = raw;
    if (Array.isArray(known) && !raw.trimStart().startsWith('[')) {
      value = raw.split(',').map((item) => item.trim()).filter((item) => item !== '');
    } else if (typeof known !== 'string') {
      try {
        value = JSON.parse(raw);
      } catch {
        // plain text
      }
    }
    update[section] ??= {};
    update[section][key] = value;
  }
  return update;
}

export const adminTokenCreateCommand: Command = {
  path: ['admin', 'token', 'create'],
  summary: 'create an admin token (printed once, alone on the last line of standard output)',
  usage: 'mamgate admin token create [--name NAME]',
  options: { name: { type: 'string' } },
  run: (input) =>
    execute(input, 'admin.token.create', { name: input.values.name ?? 'admin' }, (result) => {
      const { info, token } = result as { info: { id: string; name: string }; token: string };
      input.output.err(`Created admin token ${info.id} ("${info.name}"). It is shown once; store it now.`);
      input.output.out(token);
    }),
};

export const adminTokenListCommand: Command = {
  path: ['admin', 'token', 'list'],
  summary: 'list admin tokens (never their secrets)',
  usage: 'mamgate admin token list',
  run: (input) => execute(input, 'admin.token.list', {}, (result) => printJson(input.output, result)),
};

export const adminTokenRevokeCommand: Command = {
  path: ['admin', 'token', 'revoke'],
  summary: 'revoke an admin token by its id',
  usage: 'mamgate admin token revoke [--] ID\n\nPut -- before an ID that starts with "-", so it is not read as an option.',
  async run(input) {
    const id = input.positionals[0];
    if (!id) throw usageError('give the id of the token to revoke (see `mamgate admin token list`)');
    return execute(input, 'admin.token.revoke', { id }, () => input.output.out(`revoked ${id}`));
  },
};

export const settingsGetCommand: Command = {
  path: ['settings', 'get'],
  summary: 'print the current settings (secrets masked)',
  usage: 'mamgate settings get',
  run: (input) =>
    execute(input, 'settings.get', {}, (result) => {
      const { version, settings } = result as { version: number; settings: unknown };
      input.output.err(`settings version ${version}`);
      printJson(input.output, settings);
    }),
};

export const settingsSetCommand: Command = {
  path: ['settings', 'set'],
  summary: 'save settings from a JSON file and/or Section.Key=value pairs',
  usage:
    'mamgate settings set [--file FILE|-] [Section.Key=value ...]\n\n' +
    'A section named in the file replaces the stored one; Section.Key=value changes one key and keeps the rest.\n' +
    'Example: mamgate settings set IntuneSettings.Enable=true IntuneSettings.TenantId=<guid>',
  options: { file: { type: 'string' } },
  async run(input) {
    if (!input.values.file && input.positionals.length === 0) throw usageError('give --file or Section.Key=value pairs');
    const fromFile = input.values.file ? readJsonFile(String(input.values.file)) : {};
    const assignments = parseAssignments(input.positionals);
    let update = fromFile as Record<string, Record<string, unknown>>;
    if (Object.keys(assignments).length > 0) {
      // Single keys change within the stored section: start from the current (masked) values.
      const current = await runCliOperation(input.env, 'settings.get', {});
      if (!current.ok) {
        printError(input.output, current.error);
        return 1;
      }
      const stored = (current.result as { settings: Record<string, Record<string, unknown>> }).settings;
      update = { ...update };
      for (const [section, keys] of Object.entries(assignments)) {
        update[section] = { ...(update[section] ?? stored[section] ?? {}), ...keys };
      }
    }
    return execute(input, 'settings.set', { settings: update }, (result) => {
      input.output.err(`saved settings version ${(result as { version: number }).version}`);
    });
  },
};

export const licenseGetCommand: Command = {
  path: ['license', 'get'],
  summary: 'print the current license',
  usage: 'mamgate license get',
  run: (input) =>
    execute(input, 'license.get', {}, (result) => printJson(input.output, (result as { license: unknown }).license ?? { IsLicensed: false })),
};

export const licenseSetCommand: Command = {
  path: ['license', 'set'],
  summary: 'set the license from a JSON file, a SKU, or none',
  usage: 'mamgate license set (--file FILE|- | --sku advanced|entry|enterprise|professional | --none)',
  options: { file: { type: 'string' }, sku: { type: 'string' }, none: { type: 'boolean' } },
  async run(input) {
    const { file, sku, none } = input.values;
    const given = [file, sku, none].filter((v) => v !== undefined).length;
    if (given !== 1) throw usageError('give exactly one of --file, --sku or --none');
    const license = file ? readJsonFile(String(file)) : sku ? { IsLicensed: true, SkuShortName: sku } : { IsLicensed: false };
    return execute(input, 'license.set', { license }, (result) => {
      const saved = result as { version: number; license: { SkuShortName: string } | null };
      input.output.err(`saved license version ${saved.version}: ${saved.license ? saved.license.SkuShortName : 'no license'}`);
    });
  },
};

export const migrateCommand: Command = {
  path: ['migrate'],
  summary: 'apply database migrations',
  usage: 'mamgate migrate',
  run: (input) =>
    execute(input, 'migrate', {}, (result) => {
      const { applied } = result as { applied: string[] };
      input.output.out(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
    }),
};

export const enrollmentVerifyCommand: Command = {
  path: ['enrollment', 'verify'],
  summary: "read a user's Intune app-protection registrations from Microsoft Graph now",
  usage:
    'mamgate enrollment verify USER\n\n' +
    'USER is a chat-server user id or username (an imported account, so its objectId is known).\n' +
    'Runs inside the running service; prints the outcome and the evidence. Exits 1 when it does not hold.',
  options: {},
  async run(input) {
    const user = input.positionals[0];
    if (!user) throw usageError('give the user id or username');
    return execute(input, 'enrollment.verify', { user }, (result) => {
      const r = result as { username: string; outcome: string; verified: boolean; lost: boolean; evidence: unknown };
      input.output.out(JSON.stringify(r, null, 2));
      input.output.err(`${r.username}: ${r.outcome}${r.lost ? ' (verified evidence lost: mobile sessions are being ended)' : ''}`);
      return r.verified ? 0 : 1;
    });
  },
};

export const usersImportCommand: Command = {
  path: ['users', 'import'],
  summary: 'import chat-server accounts from CSV or JSON Lines (Mattermost user field names)',
  usage:
    'mamgate users import FILE [--format csv|jsonl]\n\n' +
    'Fields: id, username, email, auth_service, auth_data, first_name, last_name, is_bot, delete_at.\n' +
    "Also the chat server's bulk export (mmctl export): its user lines are matched to chat users by username.\n" +
    'CSV needs a header line with those names; the format follows the file name unless --format says.\n' +
    'Idempotent: accounts are upserted by id. Rows that cannot be imported are listed with their line numbers.\n' +
    'Progress (share of the file read) goes to standard error: a bar on a terminal, a line per tenth otherwise.',
  options: { format: { type: 'string' } },
  async run(input) {
    const file = input.positionals[0];
    if (!file) throw usageError('give the file to import');
    const format = input.values.format;
    if (format !== undefined && format !== 'csv' && format !== 'jsonl') throw usageError('--format is csv or jsonl');
    const { absolute } = existingFile(file);
    const channel = await openOperationChannel(input.env);
    try {
      const started = await channel.run('users.import.start', { path: absolute, format });
      if (!started.ok) {
        printError(input.output, started.error);
        return 1;
      }
      const progress = progressOn(process.stderr, 'users import');
      let job = started.result as ImportJobView;
      try {
        for (;;) {
          progress.update(job.bytes_read, job.bytes_total);
          if (job.status !== 'running') break;
          await new Promise((resolve) => setTimeout(resolve, POLL_MS));
          const status = await channel.run('users.import.status', { id: job.id });
          if (!status.ok) {
            printError(input.output, status.error);
            return 1;
          }
          job = status.result as ImportJobView;
        }
      } finally {
        progress.finish();
      }
      if (job.status === 'failed' || !job.result) {
        if (job.error) printError(input.output, job.error);
        return 1;
      }
      const r = job.result;
      for (const f of r.failed) input.output.err(`line ${f.line}: ${f.problem}`);
      const skipped = r.skipped > 0 ? `; ${r.skipped} bulk-export lines not about accounts passed over` : '';
      input.output.out(`imported ${r.imported} of ${r.total} rows; ${r.failed.length} failed${skipped}`);
      return r.failed.length > 0 ? 1 : 0;
    } finally {
      await channel.close();
    }
  },
};
