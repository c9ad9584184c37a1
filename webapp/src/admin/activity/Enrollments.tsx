// The enrollment reports of mobile sessions, newest first: who (username, email, a link to the user), the device,
// the state, the classified cause and what to do.
import { type FormEvent, useState } from 'react';
import { ENROLLMENT_STATUSES, FAILURE_CAUSE_IDS } from '../../../../server/contract/enrollment.ts';
import type { MamgateApi } from '../../api/client.ts';
import type { EnrollmentItem } from '../../api/types.ts';
import { ApplyFilters, SelectFilter, TextFilter } from '../components/Filters.tsx';
import { Results } from '../components/Results.tsx';
import { Time } from '../components/Time.tsx';
import { UserLink } from '../components/UserLink.tsx';
import { usePaged } from '../components/paged.ts';

const PAGE_SIZE = 25;
interface EnrollmentFilter {
  state: string;
  user_id: string;
  cause: string;
}

export function EnrollmentRow({ item, showUser = true }: { item: EnrollmentItem; showUser?: boolean }) {
  return (
    <tr data-enrollment-id={item.id}>
      <td data-label="Time">
        <Time at={item.created_at} />
      </td>
      {showUser ? (
        <td data-label="User">
          <UserLink user={{ id: item.user_id, username: item.username, email: item.email }} />
        </td>
      ) : null}
      <td data-label="Device">{item.device_id ? <span>{item.device_id}</span> : <span className="muted">none</span>}</td>
      <td data-label="State">
        <span className={`state-badge state-${item.status}`}>{item.status}</span>
      </td>
      <td data-label="Cause">
        <span>
          <span className="cell-main">{item.cause_summary}</span>
          {item.error_code ? <span className="cell-sub">code {item.error_code}</span> : null}
        </span>
      </td>
      <td data-label="Next step">
        <span>{item.next_step}</span>
      </td>
    </tr>
  );
}

export function Enrollments({ api }: { api: MamgateApi }) {
  const [draft, setDraft] = useState<EnrollmentFilter>({ state: '', user_id: '', cause: '' });
  const [load] = useState(
    () => (filter: EnrollmentFilter, before: number | undefined) => api.enrollments({ ...filter, user_id: filter.user_id.trim(), limit: PAGE_SIZE, before }),
  );
  const paged = usePaged<EnrollmentItem, EnrollmentFilter>(load, draft);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    paged.apply(draft);
  };
  return (
    <section className="activity-section" aria-labelledby="enrollments-title">
      <h2 id="enrollments-title">Enrollment reports</h2>
      <form className="filters" onSubmit={submit} aria-label="Filter enrollment reports">
        <SelectFilter
          id="enrollment-state"
          label="State"
          value={draft.state}
          anyLabel="Any state"
          options={ENROLLMENT_STATUSES.map((s) => [s, s] as const)}
          onChange={(state) => setDraft({ ...draft, state })}
        />
        <TextFilter
          id="enrollment-user"
          label="User"
          value={draft.user_id}
          placeholder="Username, email or user ID"
          onChange={(user_id) => setDraft({ ...draft, user_id })}
        />
        <SelectFilter
          id="enrollment-cause"
          label="Cause"
          value={draft.cause}
          anyLabel="Any cause"
          options={FAILURE_CAUSE_IDS.map((c) => [c, c] as const)}
          onChange={(cause) => setDraft({ ...draft, cause })}
        />
        <ApplyFilters />
      </form>
      <Results
        label="Enrollment reports"
        paged={paged}
        empty="No enrollment report matches these filters."
        head={['Time', 'User', 'Device', 'State', 'Cause', 'Next step']}
        row={(item) => <EnrollmentRow key={item.id} item={item} />}
      />
    </section>
  );
}
