// A paged table: the error, "nothing matches", the rows, and Newer / Older. On a phone each row is a card
// (card-table: every cell under its column's name, from data-label).
import type { ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert.tsx';
import type { Paged } from './paged.ts';

export function Results<T>({
  label,
  paged,
  empty,
  head,
  row,
}: {
  label: string;
  paged: Paged<T>;
  empty: string;
  head: string[];
  row: (item: T) => ReactNode;
}) {
  const { answer, error, loading } = paged;
  return (
    <>
      <ErrorAlert error={error} />
      {answer && answer.items.length === 0 ? <p>{empty}</p> : null}
      {answer && answer.items.length > 0 ? (
        <section className="table-wrap" aria-label={`${label} table`}>
          <table className="data-table card-table">
            <thead>
              <tr>
                {head.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{answer.items.map(row)}</tbody>
          </table>
        </section>
      ) : null}
      <div className="pager">
        <button type="button" className="button" disabled={paged.page <= 1 || loading} onClick={paged.newer}>
          Newer
        </button>
        <span className="muted" aria-live="polite">
          {loading ? 'Loading…' : answer ? `Page ${paged.page}` : ''}
        </span>
        <button type="button" className="button" disabled={!answer?.next_before || loading} onClick={paged.older}>
          Older
        </button>
      </div>
    </>
  );
}
