// The words for a report run's state, on the admin page and in the System Console. A queued run has counted nobody
// yet: it says so instead of "checked 0 of 0 users (0%)".
import type { ReportRun } from '../api/types.ts';
import { formatTime, plural } from './labels.ts';

export function reportStatusText(run: ReportRun): string {
  if (run.status === 'queued') return 'Report queued: it starts in a moment and has not counted the users yet.';
  if (run.status === 'running' && run.total === 0) return 'Report running: counting the users…';
  if (run.status === 'running') {
    return `Report running: checked ${run.processed} of ${plural(run.total, 'user')} (${Math.round(run.progress * 100)}%).`;
  }
  return `Report ${run.status} ${formatTime(run.finished_at ?? run.created_at)}: ${plural(run.total, 'user')} checked.`;
}
