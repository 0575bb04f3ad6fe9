import type { Cleaned, OffsetRun } from './types.ts';

/** Index of the last run whose clean start is ≤ offset, or -1. */
function runAtOrBefore(runs: OffsetRun[], offset: number): number {
  let lo = 0;
  let hi = runs.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid].clean <= offset) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/**
 * Map a clean-text offset to the raw body. Inside a copied run the mapping is
 * exact. For an offset in inserted text (a collapsed space, a line break, an
 * NFC-composed word), `bias` picks the side: 'start' maps to where the raw gap
 * begins, 'end' to where it ends, so a span mapped with (start, end) covers
 * the whole raw text behind it. Monotone for either bias.
 */
export function toRaw(cleaned: Cleaned, offset: number, bias: 'start' | 'end' = 'start'): number {
  const { runs } = cleaned;
  const rawLength = cleaned.rawLength ?? (runs.length ? runs[runs.length - 1].raw + runs[runs.length - 1].length : 0);
  if (offset <= 0 && bias === 'start') return runs.length && runs[0].clean === 0 ? runs[0].raw : 0;
  const i = runAtOrBefore(runs, bias === 'end' ? offset - 1 : offset);
  if (i >= 0) {
    const r = runs[i];
    const within = offset - r.clean;
    if (bias === 'start' ? within < r.length : within <= r.length && within > 0) return r.raw + within;
    if (bias === 'start') {
      // In the gap after run i: the gap's raw start, unless the offset is the next run's start.
      return r.raw + r.length;
    }
    // 'end' bias past run i: the raw start of the next run (the gap's raw end).
    const next = runs[i + 1];
    return next ? next.raw : rawLength;
  }
  // Before the first run.
  if (bias === 'start') return 0;
  return runs.length ? runs[0].raw : rawLength;
}

/** A clean span [start, end) as the raw span behind it. */
export function toRawSpan(cleaned: Cleaned, start: number, end: number): { start: number; end: number } {
  const s = toRaw(cleaned, start, 'start');
  if (end <= start) return { start: s, end: s };
  const e = toRaw(cleaned, end, 'end');
  return { start: s, end: Math.max(s, e) };
}
