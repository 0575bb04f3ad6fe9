/**
 * Whose words a technique span is in: the outlet's own, a direct quote, or
 * reported speech, read off the quotes layer.
 */
import type { Quote, Span, Voice } from '../../document/types.ts';

const OPEN = new Set(['"', '“', '«', '„', '‹']);
const CLOSE = new Set(['"', '”', '»', '“', '›']);

function insideMarks(text: string, part: Span, at: number): boolean {
  // inside quotation marks if an unmatched opening mark precedes `at` within the part
  let open = false;
  for (let k = part.start; k < at && k < part.end; k++) {
    const c = text[k];
    if (c === '"') open = !open;
    else if (OPEN.has(c) && !open) open = true;
    else if (CLOSE.has(c) && open) open = false;
  }
  return open;
}

/** The voice of `span`, and the quote it lies in. A span counts as inside a quote when at least half of it overlaps the quote's content. */
export function voiceOf(text: string, span: Span, quotes: readonly Quote[] | undefined): { voice: Voice; quote: string | null } {
  if (!quotes || !quotes.length) return { voice: 'outlet', quote: null };
  const len = Math.max(1, span.end - span.start);
  let best: { q: Quote; part: Span; o: number } | null = null;
  for (const q of quotes) {
    const parts = q.parts && q.parts.length ? q.parts : [q];
    for (const p of parts) {
      const o = Math.min(p.end, span.end) - Math.max(p.start, span.start);
      if (o > 0 && (!best || o > best.o)) best = { q, part: p, o };
    }
  }
  if (!best || best.o * 2 < len) return { voice: 'outlet', quote: null };
  const { q, part } = best;
  if (q.kind === 'direct') return { voice: 'direct_quote', quote: q.id };
  if (q.kind === 'indirect') return { voice: 'reported_speech', quote: q.id };
  const mid = Math.floor((Math.max(span.start, part.start) + Math.min(span.end, part.end)) / 2);
  return { voice: insideMarks(text, part, mid) ? 'direct_quote' : 'reported_speech', quote: q.id };
}
