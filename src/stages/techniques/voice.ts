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
  // the part (a quote's own parts, or the quote itself) with the largest overlap, the first one on ties
  let bestQ: Quote | null = null;
  let bestPart: Span | null = null;
  let bestO = 0;
  for (const q of quotes) {
    const parts = q.parts;
    const n = parts && parts.length ? parts.length : 1;
    for (let k = 0; k < n; k++) {
      const p: Span = parts && parts.length ? parts[k] : q;
      const o = Math.min(p.end, span.end) - Math.max(p.start, span.start);
      if (o > bestO) {
        bestQ = q;
        bestPart = p;
        bestO = o;
      }
    }
  }
  if (!bestQ || !bestPart || bestO * 2 < len) return { voice: 'outlet', quote: null };
  const q = bestQ;
  const part = bestPart;
  if (q.kind === 'direct') return { voice: 'direct_quote', quote: q.id };
  if (q.kind === 'indirect') return { voice: 'reported_speech', quote: q.id };
  const mid = Math.floor((Math.max(span.start, part.start) + Math.min(span.end, part.end)) / 2);
  return { voice: insideMarks(text, part, mid) ? 'direct_quote' : 'reported_speech', quote: q.id };
}
