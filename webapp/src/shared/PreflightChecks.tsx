// The preflight's checks, each with its state (in words, not only colour), evidence and next step.
import type { PreflightCheck } from '../api/types.ts';
import { CHECK_STATE_ICONS, CHECK_STATE_LABELS } from './labels.ts';

export function CheckStateBadge({ state }: { state: PreflightCheck['state'] }) {
  return (
    <span className={`mg-badge mg-state-${state}`}>
      <span aria-hidden="true">{CHECK_STATE_ICONS[state]} </span>
      {CHECK_STATE_LABELS[state]}
    </span>
  );
}

export function PreflightChecks({ checks, headingLevel = 3 }: { checks: PreflightCheck[]; headingLevel?: 3 | 4 }) {
  const Heading = headingLevel === 3 ? 'h3' : 'h4';
  return (
    <ul className="mg-checks">
      {checks.map((check) => (
        <li key={check.id} className={`mg-check mg-check-${check.state}`} data-check-id={check.id} data-state={check.state}>
          <div className="mg-check-head">
            <CheckStateBadge state={check.state} />
            <Heading className="mg-check-title">{check.title}</Heading>
          </div>
          <p className="mg-check-evidence">
            <span className="mg-term">Evidence: </span>
            {check.evidence}
          </p>
          {check.next_step ? (
            <p className="mg-check-next">
              <span className="mg-term">Next step: </span>
              {check.next_step}
            </p>
          ) : null}
          {check.error_id ? (
            <p className="mg-check-error-id">
              <span className="mg-term">Error id: </span>
              <code>{check.error_id}</code>
            </p>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
