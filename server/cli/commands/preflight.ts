import type { PreflightReport } from '../../preflight/run-preflight.ts';
import type { Command } from '../command.ts';
import { runCliOperation } from '../operation-runner.ts';
import { printError } from '../output.ts';

const MARK = { pass: 'PASS', warn: 'WARN', fail: 'FAIL' } as const;

export const preflightCommand: Command = {
  path: ['preflight'],
  summary: 'check the whole setup (license, settings, Entra keys, identities, enrollments); exit 1 when a check fails',
  usage: 'mamgate preflight [--json]',
  options: { json: { type: 'boolean' } },
  async run(input) {
    const outcome = await runCliOperation(input.env, 'preflight', {});
    if (!outcome.ok) {
      printError(input.output, outcome.error);
      return 1;
    }
    const report = outcome.result as PreflightReport;
    if (input.values.json) input.output.out(JSON.stringify(report, null, 2));
    else {
      for (const check of report.checks) {
        input.output.out(`${MARK[check.state]}  ${check.title}`);
        input.output.out(`      ${check.evidence}`);
        if (check.next_step) input.output.out(`      next step: ${check.next_step}${check.error_id ? ` (${check.error_id})` : ''}`);
      }
      input.output.out(`\n${report.summary.pass} passed, ${report.summary.warn} warned, ${report.summary.fail} failed`);
    }
    return report.summary.fail > 0 ? 1 : 0;
  },
};
