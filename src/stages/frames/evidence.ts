import type { Evidence, Segments, TextSpan } from '../../document/types.ts';

/** The units evidence is cited from: sentences, or paragraphs when the segmenter found no sentences. */
export function evidenceUnits(segments: Segments, text: string): TextSpan[] {
  if (segments.sentences.length) return segments.sentences;
  if (segments.paragraphs.length) return segments.paragraphs;
  return text.trim() ? [{ start: 0, end: text.length, text }] : [];
}

/**
 * The `k` units with the largest positive contribution, strongest first.
 * `weight` is the unit's share of the label's linear score (log-odds units).
 */
export function topEvidence(units: TextSpan[], weights: number[], k = 3): Evidence[] {
  return units
    .map((u, i) => ({ u, w: weights[i] }))
    .filter((x) => x.w > 0)
    .sort((a, b) => b.w - a.w || a.u.start - b.u.start)
    .slice(0, k)
    .map(({ u, w }) => ({ start: u.start, end: u.end, text: u.text, weight: Math.round(w * 1e4) / 1e4 }));
}
