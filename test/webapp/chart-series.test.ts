// What the charts page draws from the stats answers (webapp/src/admin/charts/series.ts): a series coloured by what
// it means whatever its place in the answer, the keys of one group told apart, each report its own label.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AlignmentStatsAnswer, StatsAnswer } from '../../webapp/src/api/types.ts';
import { chartOfAlignment, chartOfStats } from '../../webapp/src/admin/charts/series.ts';

function stats(series: { group: string; key: string }[]): StatsAnswer {
  return {
    bucket: 'hour',
    since: '2026-12-07T10:00:00.000Z',
    until: '2026-12-07T12:00:00.000Z',
    buckets: ['2026-12-07T10:00:00.000Z', '2026-12-07T11:00:00.000Z'],
    series: series.map((s) => ({ ...s, counts: [1, 0], total: 1 })),
    total: series.length,
  };
}

describe('chart series', () => {
  test('a success has the same colour first or last, and never the colour of a refusal', () => {
    const first = chartOfStats(stats([{ group: 'success', key: '' }, { group: 'refused', key: 'ent.a.app_error' }]));
    const last = chartOfStats(stats([{ group: 'refused', key: 'ent.a.app_error' }, { group: 'success', key: '' }]));
    const colour = (chart: typeof first, label: string) => chart.series.find((s) => s.label === label)!.color;
    assert.equal(colour(first, 'success'), colour(last, 'success'));
    assert.equal(colour(first, 'refused: ent.a'), colour(last, 'refused: ent.a'));
    assert.notEqual(colour(first, 'success'), colour(first, 'refused: ent.a'));
    const enrolled = chartOfStats(stats([{ group: 'failed', key: 'x' }, { group: 'enrolled', key: 'none' }])).series[1]!;
    assert.equal(enrolled.label, 'enrolled');
    assert.equal(enrolled.color, colour(first, 'success'), 'enrolled reads as a success');
  });

  test('the keys of one group get colours of their own', () => {
    const chart = chartOfStats(stats(['a', 'b', 'c'].map((key) => ({ group: 'refused', key }))));
    assert.equal(new Set(chart.series.map((s) => s.color)).size, 3);
    assert.deepEqual(chart.labels, ['12-07 10:00', '12-07 11:00']);
  });

  test('reports finished in the same second have labels of their own, oldest first', () => {
    const at = '2026-12-07T13:25:29.000Z';
    const answer: AlignmentStatsAnswer = {
      statuses: ['aligned', 'mismatch'],
      reports: [
        { id: 'r1', created_at: at, finished_at: at, total: 3, summary: { aligned: 3 } },
        { id: 'r2', created_at: at, finished_at: at, total: 4, summary: { aligned: 2, mismatch: 2 } },
      ],
    };
    const chart = chartOfAlignment(answer);
    assert.deepEqual(chart.labels, ['#1 12-07 13:25', '#2 12-07 13:25']);
    assert.deepEqual(chart.series.map((s) => [s.label, s.data]), [['Aligned', [3, 2]], ['Mismatch', [0, 2]]]);
    assert.equal(chart.total, 7);
  });
});
