// `mamgate report identity`: runs the identity-alignment report and writes its rows.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type { ReportRowRecord } from '../../db/stores/report-store.ts';
import { exportHeader, exportLines, type ExportFormat } from '../../identity/report/export-format.ts';
import type { ReportRunView } from '../../identity/report/report-jobs.ts';
import type { Command } from '../command.ts';
import { openOutputFile } from '../files.ts';
import { type OperationChannel, openOperationChannel, usageError } from '../operation-runner.ts';
import { printError } from '../output.ts';
import { progressOn } from '../progress.ts';

const POLL_MS = 200;

async function write(out: Writable, text: string): Promise<void> {
  if (text && !out.write(text)) await once(out, 'drain');
}

async function follow(channel: OperationChannel, id: string, onProgress: (run: ReportRunView) => void): Promise<ReportRunView> {
  for (;;) {
    const status = await channel.run('report.identity.status', { id });
    if (!status.ok) throw status.error;
    const run = status.result as ReportRunView;
    onProgress(run);
    if (run.status !== 'queued' && run.status !== 'running') return run;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function writeRows(channel: OperationChannel, id: string, format: ExportFormat, out: Writable): Promise<void> {
  await write(out, exportHeader(format));
  let after: number | undefined;
  for (;;) {
    const page = await channel.run('report.identity.rows', { id, after });
    if (!page.ok) throw page.error;
    const { items, next_after } = page.result as { items: ReportRowRecord[]; next_after: number | null };
    await write(out, exportLines(items, format));
    if (next_after === null) return;
    after = next_after;
  }
}

export const reportIdentityCommand: Command = {
  path: ['report', 'identity'],
  summary: 'run the identity-alignment report (rows on standard output or --output FILE)',
  usage:
    'mamgate report identity [--format csv|jsonl] [--output FILE] [--strict]\n\n' +
    'Compares, user by user, the Entra objectId of the account, OAuth (oid), SAML (objectidentifier) and LDAP\n' +
    '(msDS-aadObjectId). Progress and the summary by status go to standard error. With --strict the exit code is 1\n' +
    'when any user is not aligned.',
  options: { format: { type: 'string' }, output: { type: 'string' }, strict: { type: 'boolean' } },
  async run(input) {
    const format = (input.values.format ?? 'csv') as string;
    if (format !== 'csv' && format !== 'jsonl') throw usageError('--format is csv or jsonl');
    // Opened before the report runs: a path in a folder that does not exist fails now, with the catalogue's error.
    const out: Writable = input.values.output ? createWriteStream('', { fd: openOutputFile(String(input.values.output)) }) : process.stdout;
    const channel = await openOperationChannel(input.env);
    try {
      const started = await channel.run('report.identity.start', {});
      if (!started.ok) {
        printError(input.output, started.error);
        return 1;
      }
      const { id } = started.result as ReportRunView;
      const cancel = () => void channel.run('report.identity.cancel', { id });
      process.once('SIGINT', cancel);
      const progress = progressOn(process.stderr, 'identity report');
      const run = await follow(channel, id, (r) => progress.update(r.processed, r.total)).finally(() => {
        progress.finish();
        process.off('SIGINT', cancel);
      });
      if (run.status !== 'completed') {
        input.output.err(`report ${id} ${run.status}${run.error ? `: ${run.error}` : ''}`);
        return 1;
      }
      await writeRows(channel, id, format, out);
      input.output.err(`report ${id}: ${run.total} users`);
      for (const [status, count] of Object.entries(run.summary)) input.output.err(`  ${status.padEnd(22)} ${count}`);
      const notAligned = run.total - (run.summary.aligned ?? 0);
      return input.values.strict && notAligned > 0 ? 1 : 0;
    } catch (error) {
      if (error && typeof error === 'object' && 'id' in error) {
        printError(input.output, error as Parameters<typeof printError>[1]);
        return 1;
      }
      throw error;
    } finally {
      if (out !== process.stdout) await new Promise((resolve) => out.end(resolve));
      await channel.close();
    }
  },
};
