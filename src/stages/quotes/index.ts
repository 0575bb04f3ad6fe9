/**
 * The `quotes` stage: who said what. Direct, indirect and mixed attributions
 * with content parts, cue, source phrase, addressee and a resolved speaker.
 * Rule-based; word lists live in ./data (see each file's header).
 */
import type { Stage, StageInput, StageOutput } from '../../document/stage.ts';
import type { Entity, Quote, QuoteKind, Span, TextSpan } from '../../document/types.ts';
import { extract, type Extracted } from './extract.ts';
import { resolveSpeakers } from './speakers.ts';

export { extract } from './extract.ts';
export { findQuoteRegions } from './marks.ts';

const ts = (text: string, s: Span): TextSpan => ({ start: s.start, end: s.end, text: text.slice(s.start, s.end) });

/** Direct when ≥ 90% of the content's letters and digits lie inside quotation marks, mixed when some do. */
function kindOf(text: string, parts: Span[], regions: readonly Span[]): QuoteKind {
  let all = 0;
  let inside = 0;
  for (const p of parts) {
    // Regions are sorted: walk them alongside the characters.
    let r = 0;
    for (let k = p.start; k < p.end; k++) {
      const c = text.charCodeAt(k);
      // Letters and digits (ASCII fast path; anything above 127 that is not a space or punctuation counts).
      const alnum = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && !/[\s\p{P}]/u.test(text[k]));
      if (!alnum) continue;
      all++;
      while (r < regions.length && regions[r].end <= k) r++;
      if (r < regions.length && regions[r].start <= k) inside++;
    }
  }
  if (all === 0 || inside === 0) return 'indirect';
  return inside / all >= 0.9 ? 'direct' : 'mixed';
}

/** Trim whitespace (and NBSP padding) off a span. */
function trim(text: string, s: Span): Span {
  let { start, end } = s;
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}

export interface QuotesInput {
  text: string;
  segments: StageInput['segments'];
  tokens: StageInput['tokens'];
  entities: readonly Entity[];
}

/** The quotes of a document (the stage's work, callable without a pipeline). */
export function findQuotes(input: QuotesInput): Quote[] {
  const { text, segments, tokens, entities } = input;
  const ex: Extracted = extract({ text, paragraphs: segments.paragraphs, sentences: segments.sentences, tokens });
  const speakers = resolveSpeakers({ text, units: ex.units, drafts: ex.drafts, entities, regions: ex.regions });
  const quotes: Quote[] = [];
  ex.drafts.forEach((d, i) => {
    const parts = d.parts.map((p) => trim(text, p)).filter((p) => p.end > p.start).sort((a, b) => a.start - b.start);
    if (parts.length === 0) return;
    const start = parts[0].start;
    const end = parts[parts.length - 1].end;
    quotes.push({
      id: `q${quotes.length + 1}`,
      kind: kindOf(text, parts, ex.regions),
      start,
      end,
      text: text.slice(start, end),
      parts: parts.map((p) => ts(text, p)),
      cue: d.cue ? ts(text, d.cue) : null,
      speaker: speakers[i],
      addressee: d.addressee ? ts(text, d.addressee) : null,
      source: d.source ? ts(text, trim(text, d.source)) : null,
    });
  });
  return quotes;
}

export const quotesStage: Stage = {
  name: 'quotes',
  requires: ['segments', 'entities'],
  assigns: ['quotes'],
  languages: ['en'],
  run(input: StageInput): StageOutput {
    const entities = (input.analysis.entities ?? []) as Entity[];
    const quotes = findQuotes({ text: input.text, segments: input.segments, tokens: input.tokens, entities });
    return { layers: { quotes } };
  },
};

export default quotesStage;
