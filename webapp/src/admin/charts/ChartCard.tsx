// One chart with its title, its total, its numbers, and what it says when there is nothing to draw.
import { useMemo } from 'react';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
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
  /** Said instead of an empty canvas. */
  emptyText?: string;
}

export function ChartCard<Answer>({ id, title, description, answer, error, toChart, emptyText = 'Nothing in this range.' }: ChartCardProps<Answer>) {
  const data = useMemo(() => (answer ? toChart(answer) : null), [answer, toChart]);
  // The table lists every series (a status at 0 is news too); the legend only what has a bar.
  const drawn = useMemo(() => data?.series.filter((s) => s.data.some((n) => n > 0)) ?? [], [data]);
  const empty = data !== null && drawn.length === 0;
  return (
    <section className="chart-card" aria-labelledby={`${id}-title`} data-chart={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p className="muted small">{description}</p>
      <ErrorAlert error={error} />
      {!data && !error ? <p role="status">Loading…</p> : null}
      {data && empty ? <p data-testid={`${id}-empty`}>{emptyText}</p> : null}
      {data && !empty ? (
        <>
          <p className="chart-total" data-testid={`${id}-total`}>
            {data.total} in all
          </p>
          <BarChart description={`${title}: ${description}`} labels={data.labels} series={drawn} testId={`${id}-canvas`} />
          <ChartTable data={data} caption={title} testId={`${id}-table`} />
        </>
      ) : null}
    </section>
  );
}
