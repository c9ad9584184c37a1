// The numbers of a chart as a table, under a disclosure: each series with its total and its count per bucket
// (only the buckets where something happened, so an hourly month stays readable). Columns are keyed by position:
// two reports can carry the same label.
import type { ChartData } from './series.ts';

export function ChartTable({ data, caption, testId }: { data: ChartData; caption: string; testId: string }) {
  const used = data.labels.map((_, i) => i).filter((i) => data.series.some((s) => (s.data[i] ?? 0) > 0));
  return (
    <details className="chart-numbers">
      <summary>The numbers</summary>
      <div className="table-wrap">
        <table className="data-table" data-testid={testId}>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Series</th>
              <th scope="col">Total</th>
              {used.map((i) => (
                <th key={i} scope="col">
                  {data.labels[i]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.series.map((s) => (
              <tr key={s.label} data-series={s.label}>
                <th scope="row">{s.label}</th>
                <td data-total>{s.data.reduce((sum, n) => sum + n, 0)}</td>
                {used.map((i) => (
                  <td key={i}>{s.data[i] ?? 0}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
