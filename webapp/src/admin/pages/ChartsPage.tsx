// Charts: enrollment outcomes by cause, gate refusals by reason and sign-ins by outcome, per hour (the last 24
// hours) or per day (the last 30 days), and the alignment summary across the last identity reports. The numbers
// come from the admin API's aggregate endpoints (admin/stats/*), in UTC.
import { useCallback, useState } from 'react';
import type { MamgateApi } from '../../api/client.ts';
import type { StatsBucket, StatsKind } from '../../api/types.ts';
import { ChartCard } from '../charts/ChartCard.tsx';
import { chartOfAlignment, chartOfStats } from '../charts/series.ts';
import { useLoad } from '../components/useLoad.ts';

const SERIES_CHARTS: { kind: StatsKind; title: string; description: string }[] = [
  { kind: 'enrollments', title: 'Enrollment outcomes', description: 'Enrollment reports of mobile clients, by status and classified cause.' },
  { kind: 'gate-refusals', title: 'Gate refusals', description: 'Requests the gate refused, by the refusal’s catalogue id.' },
  { kind: 'sign-ins', title: 'Sign-ins', description: 'Intune and SAML sign-ins, by outcome (a refusal by its catalogue id).' },
];

function SeriesChart({ api, kind, bucket, title, description }: { api: MamgateApi; kind: StatsKind; bucket: StatsBucket; title: string; description: string }) {
  const load = useCallback(() => api.stats(kind, bucket), [api, kind, bucket]);
  const { data, error } = useLoad(load);
  return <ChartCard id={kind} title={title} description={description} answer={data?.bucket === bucket ? data : null} error={error} toChart={chartOfStats} />;
}

export function ChartsPage({ api }: { api: MamgateApi }) {
  const [bucket, setBucket] = useState<StatsBucket>('hour');
  const loadAlignment = useCallback(() => api.alignmentStats(10), [api]);
  const alignment = useLoad(loadAlignment);
  return (
    <>
      <h1 tabIndex={-1}>Charts</h1>
      <p className="lead">What happened over time: enrollments, gate refusals and sign-ins, and whether identity alignment improves from one report to the next. Times are in UTC.</p>
      <fieldset className="bucket-switch">
        <legend>Count per</legend>
        {(['hour', 'day'] as const).map((b) => (
          <label key={b}>
            <input type="radio" name="bucket" value={b} checked={bucket === b} onChange={() => setBucket(b)} />{' '}
            {b === 'hour' ? 'hour (last 24 hours)' : 'day (last 30 days)'}
          </label>
        ))}
      </fieldset>
      <div className="chart-grid">
        {SERIES_CHARTS.map((c) => (
          <SeriesChart key={c.kind} api={api} kind={c.kind} bucket={bucket} title={c.title} description={c.description} />
        ))}
        <ChartCard
          id="alignment"
          title="Identity alignment across reports"
          description="Users per status in each of the last 10 completed identity-alignment reports, oldest first."
          answer={alignment.data}
          error={alignment.error}
          toChart={chartOfAlignment}
          emptyText={alignment.data?.reports.length ? 'The last reports counted no users.' : 'No identity-alignment report has completed yet.'}
        />
      </div>
    </>
  );
}
