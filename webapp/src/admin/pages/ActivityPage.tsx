// Enrollments and audit: the enrollment reports of mobile sessions (with the classified cause and next step) and
// the audit log, newest first, each filterable and paged with the service's `before` cursor.
import type { MamgateApi } from '../../api/client.ts';
import { AndroidAttempts } from '../activity/AndroidAttempts.tsx';
import { AuditLog } from '../activity/AuditLog.tsx';
import { Enrollments } from '../activity/Enrollments.tsx';

export function ActivityPage({ api }: { api: MamgateApi }) {
  return (
    <>
      <h1 tabIndex={-1}>Enrollments and audit</h1>
      <AndroidAttempts api={api} />
      <Enrollments api={api} />
      <AuditLog api={api} />
    </>
  );
}
