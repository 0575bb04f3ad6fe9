import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { techniqueColor } from './colors.ts';
import type { TrendRow } from './types.ts';

/** '2024-03-05', '2024-W10' or '2024-03' → Unix seconds (UTC) of the period's first day. */
export function periodStart(period: string): number {
  const w = /^(\d{4})-W(\d{2})$/.exec(period);
  if (w) {
    // ISO week 1 holds January 4th; weeks start on Monday.
    const jan4 = Date.UTC(Number(w[1]), 0, 4);
    const dow = (new Date(jan4).getUTCDay() + 6) % 7;
    return (jan4 - dow * 86400_000 + (Number(w[2]) - 1) * 7 * 86400_000) / 1000;
  }
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(period);
  if (m) return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3] ?? 1)) / 1000;
  return NaN;
}

/** Draws one line per key with uPlot; returns a function that removes the chart. */
export function drawTrends(el: HTMLElement, rows: TrendRow[], period: string): () => void {
  const periods = [...new Set(rows.map((r) => r.period))].sort();
  const keys = [...new Set(rows.map((r) => r.key))];
  const xs = periods.map(periodStart);
  const series = keys.map((k) => periods.map((p) => rows.find((r) => r.key === k && r.period === p)?.count ?? 0));
  const width = Math.max(320, el.clientWidth || 720);
  const plot = new uPlot(
    {
      width,
      height: 320,
      scales: { x: { time: true } },
      series: [
        { label: period },
        ...keys.map((k, i) => ({ label: k.replace(/_/g, ' '), stroke: darker(techniqueColor(k + i)), width: 2, points: { show: periods.length < 40 } })),
      ],
      axes: [{}, { label: 'count' }],
    },
    [xs, ...series],
    el,
  );
  return () => plot.destroy();
}

/** The palette is light (for text backgrounds); lines need it darker. */
function darker(hex: string): string {
  const n = parseInt(hex.slice(1), 16);
  const f = (v: number) => Math.round(v * 0.55).toString(16).padStart(2, '0');
  return `#${f((n >> 16) & 255)}${f((n >> 8) & 255)}${f(n & 255)}`;
}
