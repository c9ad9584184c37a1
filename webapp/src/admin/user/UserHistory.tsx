// The user's enrollment reports and the audit entries about them, newest first.
import type { UserDetail } from '../../api/types.ts';
import { AuditRow } from '../activity/AuditRow.tsx';
import { EnrollmentRow } from '../activity/Enrollments.tsx';

export function UserEnrollments({ detail }: { detail: UserDetail }) {
  return (
    <section className="activity-section" aria-labelledby="user-enrollments-title">
      <h2 id="user-enrollments-title">Enrollment history</h2>
      {detail.enrollments.length === 0 ? (
        <p>No enrollment report from this user's sessions.</p>
      ) : (
        <section className="table-wrap" aria-label="Enrollment history table">
          <table className="data-table card-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Device</th>
                <th scope="col">State</th>
                <th scope="col">Cause</th>
                <th scope="col">Next step</th>
              </tr>
            </thead>
            <tbody>
              {detail.enrollments.map((item) => (
                <EnrollmentRow key={item.id} item={item} showUser={false} />
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}

export function UserActivity({ detail }: { detail: UserDetail }) {
  return (
    <section className="activity-section" aria-labelledby="user-activity-title">
      <h2 id="user-activity-title">Audit entries</h2>
      {detail.activity.length === 0 ? (
        <p>No audit entry is about this user.</p>
      ) : (
        <section className="table-wrap" aria-label="User audit table">
          <table className="data-table card-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">What happened</th>
                <th scope="col">Outcome</th>
              </tr>
            </thead>
            <tbody>
              {detail.activity.map((item) => (
                <AuditRow key={item.id} item={item} showUser={false} />
              ))}
            </tbody>
          </table>
        </section>
      )}
    </section>
  );
}
