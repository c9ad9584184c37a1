// One setting of the form: its control by the schema's type, its error with the next step, a note, and the help.
import { type ReactNode, useId } from 'react';
import type { FieldErrorBody } from '../../api/client.ts';
import { InlineMarkdown } from '../markdown.tsx';
import { schemaOf } from '../schema.ts';
import { type FormValue, fieldId } from './settings-form.ts';

export interface FieldProps {
  settingKey: string;
  value: FormValue;
  onChange: (value: FormValue) => void;
  disabled: boolean;
  error?: FieldErrorBody;
  options?: { value: string; label: string }[];
  note?: string;
}

export function SettingField({ settingKey, value, onChange, disabled, error, options, note }: FieldProps) {
  const schema = schemaOf(settingKey);
  const id = fieldId(settingKey);
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const noteId = useId();
  const describedBy = [error ? errorId : '', note ? noteId : '', helpId].filter(Boolean).join(' ');
  const common = {
    id,
    name: settingKey,
    disabled,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : undefined,
  } as const;

  let control: ReactNode;
  if (schema.type === 'bool') {
    control = (
      <span className="switch">
        <input {...common} type="checkbox" role="switch" aria-checked={value === true} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        <span className="switch-text" aria-hidden="true">
          {value === true ? 'On' : 'Off'}
        </span>
      </span>
    );
  } else if (schema.type === 'dropdown') {
    const choices =
      options ??
      [
        ...(schema.options ?? []).map((o) => ({ value: o.value, label: o.display_name })),
        ...(value && !(schema.options ?? []).some((o) => o.value === value) ? [{ value: String(value), label: String(value) }] : []),
      ];
    control = (
      <select {...common} value={String(value)} onChange={(e) => onChange(e.target.value)}>
        {choices.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (schema.type === 'longtext') {
    control = (
      <textarea
        {...common}
        rows={4}
        placeholder={schema.placeholder}
        value={String(value)}
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  } else {
    control = (
      <input
        {...common}
        type={schema.type === 'number' ? 'number' : 'text'}
        inputMode={schema.type === 'number' ? 'numeric' : undefined}
        min={schema.type === 'number' ? 0 : undefined}
        placeholder={schema.placeholder}
        value={String(value)}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }

  return (
    <div className={`setting${error ? ' setting-invalid' : ''}`} data-setting={settingKey}>
      <label className="setting-label" htmlFor={id}>
        {schema.display_name}
      </label>
      <div className="setting-control">
        {control}
        {error ? (
          <p id={errorId} className="field-error">
            <span className="field-error-message">{error.message}</span>
            {error.next_step ? <span className="next-step"> {error.next_step}</span> : null}
          </p>
        ) : null}
        {note ? (
          <p id={noteId} className="field-note">
            {note}
          </p>
        ) : null}
        <p id={helpId} className="help">
          <InlineMarkdown text={schema.help_text} />
        </p>
      </div>
    </div>
  );
}
