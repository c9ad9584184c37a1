// The audit log's filters; they combine (the service ANDs them). Times are typed in the reader's time zone and
// sent as ISO-8601 UTC.
import { useState } from 'react';
import type { AuditFilter } from '../../api/types.ts';
import { timeZoneLabel } from '../../shared/labels.ts';
import { AUDIT_ACTIONS } from '../audit/sentences.ts';

export interface AuditDraft {
  action: string;
  actor: string;
  user: string;
  since: string;
  until: string;
}

export const EMPTY_AUDIT_DRAFT: AuditDraft = { action: '', actor: '', user: '', since: '', until: '' };

/** datetime-local text (the reader's zone) → ISO-8601 UTC; '' stays absent. */
function toIso(local: string): string | undefined {
  if (!local) return undefined;
  const at = new Date(local);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

export function auditFilterOf(draft: AuditDraft): AuditFilter {
  return {
    action: draft.action.trim() || undefined,
    actor: draft.actor.trim() || undefined,
    user: draft.user.trim() || undefined,
    since: toIso(draft.since),
    until: toIso(draft.until),
  };
}

export function AuditFilters({ onApply }: { onApply: (draft: AuditDraft) => void }) {
  const [draft, setDraft] = useState<AuditDraft>(EMPTY_AUDIT_DRAFT);
  const field = (name: keyof AuditDraft) => ({
    value: draft[name],
    onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [name]: e.target.value }),
  });
  return (
    <form
      className="filters audit-filters"
      aria-label="Filter the audit log"
      onSubmit={(e) => {
        e.preventDefault();
        onApply(draft);
      }}
    >
      <div className="filter">
        <label htmlFor="audit-action">Action</label>
        <input id="audit-action" list="audit-actions" placeholder="Any action" {...field('action')} />
        <datalist id="audit-actions">
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </div>
      <div className="filter">
        <label htmlFor="audit-actor">Actor</label>
        <input id="audit-actor" placeholder="Admin token name or actor" {...field('actor')} />
      </div>
      <div className="filter">
        <label htmlFor="audit-user">User</label>
        <input id="audit-user" placeholder="Username, email or ID" {...field('user')} />
      </div>
      <div className="filter">
        <label htmlFor="audit-since">From</label>
        <input id="audit-since" type="datetime-local" step={1} {...field('since')} />
      </div>
      <div className="filter">
        <label htmlFor="audit-until">Until</label>
        <input id="audit-until" type="datetime-local" step={1} {...field('until')} />
      </div>
      <div className="filter filter-actions">
        <button type="submit" className="button">
          Apply filters
        </button>
      </div>
      <p className="help filter-note">Every filter given must hold. Times are in {timeZoneLabel()}.</p>
    </form>
  );
}
