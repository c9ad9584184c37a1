// Who started a report, in the audit log's words (an admin token by its name).
import type { ReportRun } from '../../api/types.ts';
import { formatTime } from '../../shared/labels.ts';
import { actorLabel } from '../audit/sentences.ts';

export { reportStatusText } from '../../shared/report-text.ts';

export function startedByText(run: ReportRun): string {
  return `Report ${run.id}, started ${formatTime(run.created_at)} by ${actorLabel({ actor: run.requested_by, actor_name: run.requested_by_name })}.`;
}
