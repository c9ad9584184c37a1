// `mamgate ldap sync`: one LDAP sync, in the running service or on the database (operation-runner).
import { AppError } from '../../errors/app-error.ts';
import type { Command } from '../command.ts';
import { runCliOperation } from '../operation-runner.ts';
import { printError } from '../output.ts';

interface SyncRunSummary {
  id: number;
  status: string;
  kind: string;
  fallback_reason: string | null;
  changed: number;
  affected_users: number;
  watermark: { since: string } | null;
  entries: number;
  matched: number;
  without_id: number;
  started_at: string;
  finished_at: string | null;
}

export const ldapSyncCommand: Command = {
  path: ['ldap', 'sync'],
  summary: 'read the LDAP directory now (msDS-aadObjectId of each user) and print the run summary',
  usage:
    'mamgate ldap sync [--full | --incremental]\n\n' +
    'Reads every entry under LdapSettings.BaseDn matching UserFilter, bound as LdapSettings.BindDn, and matches\n' +
    'each to an account by email, then by username. A failed sync keeps the last good data and exits 1.\n\n' +
    '  --full         read the whole directory (the default): also removes entries deleted from the directory\n' +
    '  --incremental  read only the entries changed since the last good sync (entryCSN, or uSNChanged on\n' +
    '                 Active Directory); when the watermark does not hold (another server, a restore, a gap) a full\n' +
    '                 pass runs instead and the summary says why',
  options: { full: { type: 'boolean' }, incremental: { type: 'boolean' } },
  async run(input) {
    if (input.values.full && input.values.incremental) {
      printError(input.output, new AppError('mamgate.cli.usage.app_error', { params: { Problem: 'give --full or --incremental, not both' } }).toBody(''));
      return 1;
    }
    const outcome = await runCliOperation(input.env, 'ldap.sync', { mode: input.values.incremental ? 'incremental' : 'full' });
    if (!outcome.ok) {
      printError(input.output, outcome.error);
      return 1;
    }
    const run = outcome.result as SyncRunSummary;
    const seconds = run.finished_at ? ((Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000).toFixed(1) : '?';
    input.output.out(
      `ldap sync run ${run.id} ${run.status} (${run.kind}) in ${seconds} s: ${run.entries} entries, ${run.matched} matched to accounts, ${run.without_id} without a GUID in the id attribute`,
    );
    if (run.fallback_reason) input.output.out(`full pass instead of incremental: ${run.fallback_reason}`);
    const touched = run.kind === 'incremental' ? `, ${run.affected_users} accounts re-classified` : '';
    input.output.out(`${run.changed} entries written${touched}; watermark ${run.watermark?.since ?? 'none'}`);
    return 0;
  },
};
