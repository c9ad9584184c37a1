// One audit entry: when, what happened as a sentence (audit/sentences.ts), the user it is about, the outcome, and
// the raw entry behind a details toggle.
import type { AuditItem } from '../../api/types.ts';
import { auditSentence } from '../audit/sentences.ts';
import { Time } from '../components/Time.tsx';
import { UserLink } from '../components/UserLink.tsx';

export function AuditRow({ item, showUser = true }: { item: AuditItem; showUser?: boolean }) {
  return (
    <tr data-audit-id={item.id} data-action={item.action}>
      <td data-label="Time">
        <Time at={item.at} />
      </td>
      <td data-label="What happened" className="audit-entry">
        <span>
          <span className="audit-sentence">{auditSentence(item)}</span>
          <details className="raw-entry">
            <summary>
              Raw entry<span className="visually-hidden"> {item.id}</span>
            </summary>
            <pre>{JSON.stringify(item, null, 2)}</pre>
          </details>
        </span>
      </td>
      {showUser ? (
        <td data-label="User">{item.user ? <UserLink user={item.user} /> : <span className="muted">—</span>}</td>
      ) : null}
      <td data-label="Outcome">
        <span className={`state-badge outcome-${item.outcome}`}>{item.outcome}</span>
      </td>
    </tr>
  );
}
