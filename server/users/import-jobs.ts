// `mamgate users import` as a job the CLI follows: started by one control request, its progress read by the next
// ones. The service reads the file itself (the CLI and the service are the same OS user on one machine), so the
// progress is how far the import has really read, in bytes of the file, not how much a client has sent. The
// control socket stays request/answer JSON; nothing else needs a streaming channel.
import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import type { AppErrorBody } from '../errors/app-error.ts';
import { AppError } from '../errors/app-error.ts';
import { toAppError } from '../errors/classify.ts';
import type { Actor, ServiceContext } from '../context.ts';
import { usernameResolver } from './bulk-export.ts';
import { type ImportResult, importUsers } from './import-users.ts';
import type { ImportFormat } from './read-records.ts';

export interface ImportJobView {
  id: string;
  status: 'running' | 'completed' | 'failed';
  bytes_read: number;
  bytes_total: number;
  result?: ImportResult;
  error?: AppErrorBody;
}

interface Job {
  view: ImportJobView;
  stream: ReturnType<typeof createReadStream>;
}

/** Jobs of this process; a finished one is forgotten once its end has been read, or when more than this many. */
const jobs = new Map<string, Job>();
const MAX_JOBS = 20;

function snapshot(job: Job): ImportJobView {
  return { ...job.view, bytes_read: job.view.status === 'completed' ? job.view.bytes_total : job.stream.bytesRead };
}

export function startImportJob(ctx: ServiceContext, path: string, format: ImportFormat, actor: Actor): ImportJobView {
  const bytes_total = statSync(path).size;
  const stream = createReadStream(path);
  const job: Job = { view: { id: randomUUID(), status: 'running', bytes_read: 0, bytes_total }, stream };
  for (const [id, old] of jobs) if (jobs.size >= MAX_JOBS && old.view.status !== 'running') jobs.delete(id);
  jobs.set(job.view.id, job);
  importUsers(ctx.db, stream, format, actor, usernameResolver(ctx)).then(
    (result) => Object.assign(job.view, { status: 'completed', result }),
    (error) => {
      ctx.log.error({ err: error }, 'users import failed');
      Object.assign(job.view, { status: 'failed', error: toAppError(error).toBody('') });
    },
  );
  return snapshot(job);
}

export function importJobStatus(id: string): ImportJobView {
  const job = jobs.get(id);
  if (!job) throw new AppError('mamgate.cli.usage.app_error', { params: { Problem: `no users import ${id} in this process (it ended, or the service restarted)` } });
  const view = snapshot(job);
  if (view.status !== 'running') jobs.delete(id);
  return view;
}
