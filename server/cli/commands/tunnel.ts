// mamgate tunnel validate [FILE|-]: the MAM Tunnel validator on a file, or on the stored TunnelSettings.
import type { TunnelReport } from '../../tunnel/validate.ts';
import type { Command } from '../command.ts';
import { readInputFile } from '../files.ts';
import { runCliOperation, usageError } from '../operation-runner.ts';
import { printError } from '../output.ts';

const MARK = { error: 'ERROR', warning: 'WARN ', info: 'INFO ' } as const;

function readInput(file: string): unknown {
  const text = readInputFile(file);
  try {
    return JSON.parse(text);
  } catch {
    throw usageError(`${file === '-' ? 'standard input' : file} is not valid JSON`);
  }
}

export const tunnelValidateCommand: Command = {
  path: ['tunnel', 'validate'],
  summary: 'check MAM Tunnel app-config values and a gateway server configuration/site; exit 1 on any error',
  usage:
    'mamgate tunnel validate [FILE|-] [--json]\n\n' +
    'FILE is JSON {"appConfig": {...}, "serverConfiguration": {...}, "site": {...}}, each part optional:\n' +
    '  appConfig            com.microsoft.tunnel.* keys and values (or Graph customSettings [{name, value}])\n' +
    '  serverConfiguration  a microsoftTunnelConfiguration as Microsoft Graph returns it\n' +
    '  site                 a microsoftTunnelSite as Microsoft Graph returns it\n' +
    'Without appConfig (or without FILE) the stored TunnelSettings are checked.',
  options: { json: { type: 'boolean' } },
  async run(input) {
    if (input.positionals.length > 1) throw usageError('give at most one FILE');
    const file = input.positionals[0];
    const body = file ? readInput(file) : {};
    const outcome = await runCliOperation(input.env, 'tunnel.validate', { input: body });
    if (!outcome.ok) {
      printError(input.output, outcome.error);
      return 1;
    }
    const report = outcome.result as TunnelReport;
    if (input.values.json) input.output.out(JSON.stringify(report, null, 2));
    else {
      for (const f of report.findings) {
        input.output.out(`${MARK[f.severity]}  ${f.rule}  ${f.field}`);
        input.output.out(`       ${f.message}`);
        input.output.out(`       fix: ${f.fix}`);
      }
      // Apart from the findings: the server cannot see these, so they neither pass nor fail the run.
      const toConfirm = report.prerequisites.filter((p) => !p.checked_by);
      if (report.prerequisites.length > 0) input.output.out('\nPrerequisites no value here shows:');
      for (const p of report.prerequisites) {
        input.output.out(`${p.checked_by ? 'GRAPH' : 'CONFIRM'}  ${p.rule}`);
        input.output.out(`       ${p.requirement}`);
        input.output.out(p.checked_by ? `       checked through Microsoft Graph by the preflight check ${p.checked_by} (mamgate preflight)` : `       ${p.confirm}`);
        if (!p.checked_by) input.output.out(`       next step: ${p.next_step}`);
      }
      const { error, warning, info } = report.summary;
      const gateway = [report.checked.serverConfiguration && 'server configuration', report.checked.site && 'site'].filter(Boolean);
      input.output.out(
        `\n${error} error(s), ${warning} warning(s), ${info} note(s); app configuration from ${report.checked.appConfig}` +
          (gateway.length ? `, checked against the ${gateway.join(' and ')}` : '') +
          (toConfirm.length ? `; ${toConfirm.length} prerequisite(s) to confirm` : ''),
      );
    }
    return report.summary.error > 0 ? 1 : 0;
  },
};
