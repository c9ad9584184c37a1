// The list of what the service refused, at the top of the form: a field on the page is a link that focuses it;
// anything else is named with its next step.
import type { Ref } from 'react';
import type { FieldErrorBody } from '../../api/client.ts';
import { plainLabel } from '../schema.ts';
import { FORM_KEYS, fieldId } from './settings-form.ts';

const SHOWN = new Set(FORM_KEYS);

export function ErrorSummary({ errors, summaryRef }: { errors: FieldErrorBody[]; summaryRef: Ref<HTMLDivElement> }) {
  if (errors.length === 0) return null;
  return (
    <div className="alert alert-error error-summary" role="alert" tabIndex={-1} ref={summaryRef}>
      <h3>The settings were not saved</h3>
      <ul>
        {errors.map((e) => (
          <li key={`${e.field}:${e.id}`}>
            {SHOWN.has(e.field) ? (
              <a
                href={`#${fieldId(e.field)}`}
                onClick={(event) => {
                  event.preventDefault();
                  document.getElementById(fieldId(e.field))?.focus();
                }}
              >
                {plainLabel(e.field)}: {e.message}
              </a>
            ) : (
              <span>
                {e.field ? `${e.field}: ` : ''}
                {e.message}
              </span>
            )}
            {!SHOWN.has(e.field) && e.next_step ? <span className="next-step"> {e.next_step}</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}
