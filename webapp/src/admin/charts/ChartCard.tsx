// One chart with its title, its total, its numbers, and what it says when there is nothing to draw.
import { useMemo } from 'react';
import { BarChart } from './BarChart.tsx';
import { ChartTable } from './ChartTable.tsx';
import type { ChartData } from './series.ts';

interface ChartCardProps<Answer> {
  id: string;
  title: string;
  /** What is counted, in a sentence (also the canvas's description). */
  description: string;
  answer: Answer | null;
  error: string | null;
  toChart: (answer: Answer) => ChartData;
}

export function ChartCard<Answer>({ id, title, description, answer, error, toChart }: ChartCardProps<Answer>) {
  const data = useMemo(() => (answer ? toChart(answer) : null), [answer, toChart]);
  const empty = data !== null && (data.series.length === 0 || data.series.every((s) => s.data.every((n) => n === 0)));
  return (
    <section className="chart-card" aria-labelledby={`${id}-title`} data-chart={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="muted small">{description}</p>
      {error ? (
        <div className="alert alert-error" role="alert">
          <p>{error}</p>
        </div>
      ) : null}
      {!data && !error ? <p role="status">Loading…</p> : null}
      {data && empty ? <p data-testid={`${id}-empty`}>Nothing in this range.</p> : null}
      {data && !empty ? (
        <>
          <p className="chart-total" data-testid={`${id}-total`}>
            {data.total} in all
          </p>
          <BarChart description={`${title}: ${description}`} labels={data.labels} series={data.series} testId={`${id}-canvas`} />
          <ChartTable data={data} caption={title} testId={`${id}-table`} />
        </>
      ) : null}
    </section>
  );
}
