// A bar chart drawn by Chart.js on a canvas (no network, no fonts fetched), stacked when it has several series.
// Only the parts a bar chart needs are registered, so the bundle carries no other chart type. The canvas is an
// image to assistive technology; the numbers are in the table beside it (ChartTable). The time axis's labels keep a
// gap (autoSkipPadding), so at 400 px some are left out instead of running together.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'react';
import type { BarSeries } from './series.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface BarChartProps {
  /** What the chart shows, read out for the canvas. */
  description: string;
  labels: string[];
  series: BarSeries[];
  testId: string;
}

export function BarChart({ description, labels, series, testId }: BarChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    const chart = new Chart(element, {
      type: 'bar',
      data: { labels, datasets: series.map((s) => ({ label: s.label, data: s.data, backgroundColor: s.color, borderWidth: 0 })) },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          x: { stacked: true, ticks: { autoSkip: true, autoSkipPadding: 16, maxRotation: 0 } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } },
        },
        plugins: { legend: { position: 'bottom', labels: { boxWidth: 12 } } },
      },
    });
    return () => chart.destroy();
  }, [labels, series]);
  return (
    <div className="chart-box">
      <canvas ref={canvas} role="img" aria-label={description} data-testid={testId} />
    </div>
  );
}
