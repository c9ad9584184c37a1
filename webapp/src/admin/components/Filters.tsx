// The controls of the admin lists' filter forms: a labelled select with an "any" choice, a labelled text box, and
// the button that applies them. One markup, so every list's filters look and read alike.
export function SelectFilter<V extends string>(props: {
  id: string;
  label: string;
  value: V | '';
  anyLabel: string;
  /** [value, label] pairs, in the order shown. */
  options: readonly (readonly [V, string])[];
  onChange: (value: V | '') => void;
}) {
  return (
    <div className="filter">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} value={props.value} onChange={(e) => props.onChange(e.target.value as V | '')}>
        <option value="">{props.anyLabel}</option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function TextFilter(props: { id: string; label: string; value: string; placeholder: string; onChange: (value: string) => void }) {
  return (
    <div className="filter filter-grow">
      <label htmlFor={props.id}>{props.label}</label>
      <input id={props.id} value={props.value} placeholder={props.placeholder} onChange={(e) => props.onChange(e.target.value)} />
    </div>
  );
}

export function ApplyFilters() {
  return (
    <div className="filter filter-actions">
      <button type="submit" className="button">
        Apply filters
      </button>
    </div>
  );
}
