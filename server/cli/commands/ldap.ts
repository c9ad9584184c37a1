// `mamgate ldap sync`: one LDAP sync, in the running service or on the database (operation-runner).
import type { Command } from '../command.ts';
import { runCliOperation } from '../operation-runner.ts';
import { printError } from '../output.ts';

interface SyncRunSummary {
  id: number;
  status: string;
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
    'mamgate ldap sync\n\n' +
    'Reads every entry under LdapSettings.BaseDn matching UserFilter, bound as LdapSettings.BindDn, and matches\n' +
    'each to an account by email, then by username. A failed sync keeps the last good data and exits 1.',
  async run(input) {
    const outcome = await runCliOperation(input.env, 'ldap.sync', {});
    if (!outcome.ok) {
      printError(input.output, outcome.error);
      return 1;
    }
    const run = outcome.result as SyncRunSummary;
    const seconds = run.finished_at ? ((Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000).toFixed(1) : '?';
    input.output.out(
      `ldap sync run ${run.id} ${run.status} in ${seconds} s: ${run.entries} entries, ${run.matched} matched to accounts, ${run.without_id} without a GUID in the id attribute`,
    );
    return 0;
  },
};
