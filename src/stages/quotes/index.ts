/**
 * The `quotes` stage: who said what. Direct, indirect and mixed attributions
 * with content parts, cue, source phrase, addressee and a resolved speaker.
 * Rule-based; word lists live in ./data (see each file's header).
 */
import type { Stage, StageInput, StageOutput } from '../../document/stage.ts';
import type { Entity, Quote, QuoteKind, Span, TextSpan } from '../../document/types.ts';
import { extract, type Draft, type Extracted } from './extract.ts';
import { resolveSpeakers } from './speakers.ts';
import { tagUnit } from './tagger/decode.ts';
import { loadTagger, type Weights } from './tagger/model.ts';

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
  /**
   * 'rules': the rule extractor alone; 'tagger': the trained tagger's relations (rules only as
   * its features, plus rule relations the tagger has no cue for are dropped); 'hybrid' (default when
   * the model file exists): rule relations plus tagger relations whose cue the rules did not find.
   */
  mode?: 'rules' | 'tagger' | 'hybrid';
  /** Tagger weights (defaults to the committed model). */
  weights?: Weights | null;
}

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/** Sort drafts by position, keeping `sameSourceAs` pointing at the same draft. */
function sortDrafts(drafts: Draft[]): Draft[] {
  const key = (d: Draft) => d.cue?.start ?? d.parts[0]?.start ?? 0;
  const order = drafts.map((d, i) => i).sort((a, b) => drafts[a].unit - drafts[b].unit || key(drafts[a]) - key(drafts[b]) || a - b);
  const where = new Map<number, number>();
  order.forEach((old, k) => where.set(old, k));
  return order.map((old) => {
    const d = drafts[old];
    return d.sameSourceAs === null ? d : { ...d, sameSourceAs: where.get(d.sameSourceAs) ?? null };
  });
}

function combine(text: string, ex: Extracted, mode: 'tagger' | 'hybrid', weights: Weights): Draft[] {
  const tagged: Draft[] = [];
  ex.units.forEach((u, i) => {
    const paraStart = i === 0 || ex.units[i - 1].paragraph !== u.paragraph;
    tagged.push(...tagUnit(text, u, i, ex.drafts, weights, paraStart));
  });
  if (mode === 'tagger') return sortDrafts(tagged.filter((t) => t.parts.length > 0));
  // Hybrid: the tagger's relations, except where the rules saw beyond the sentence (colon lead-ins,
  // continuations, multi-paragraph quotes, dash lines) — there the rule relation wins; plus every
  // rule relation whose cue the tagger did not mark.
  const unitOf = (d: Draft) => ex.units[d.unit];
  const beyond = (d: Draft) => d.parts.some((p) => p.start < unitOf(d).start || p.end > unitOf(d).end);
  const out: Draft[] = [];
  const usedRules = new Set<Draft>();
  for (const t of tagged) {
    const r = ex.drafts.find((d) => d.cue && t.cue && overlaps(d.cue, t.cue));
    if (r && beyond(r)) {
      if (!usedRules.has(r)) out.push(r);
      usedRules.add(r);
    } else {
      // Complete what the tagger left out (no source, no content) from the rule relation on the same cue.
      const merged: Draft = r ? { ...t, source: t.source ?? r.source, parts: t.parts.length ? t.parts : r.parts, addressee: r.addressee } : t;
      if (r) {
        if (!t.parts.length) merged.contentAfter = r.contentAfter;
        if (!t.source && r.sameSourceAs !== null) merged.sameSourceAs = null;
        usedRules.add(r);
      }
      // A tagger relation with no source on a passive cue ("was shown", "is expected") names nobody.
      const passive = !merged.source && /^(is|are|was|were|be|been|being)\b/i.test(merged.cueText);
      if (merged.parts.length && !passive) out.push(merged);
    }
  }
  for (const d of ex.drafts) if (!usedRules.has(d) && !tagged.some((t) => t.cue && d.cue && overlaps(d.cue, t.cue))) out.push(d);
  return sortDrafts(out);
}

/** The quotes of a document (the stage's work, callable without a pipeline). */
export function findQuotes(input: QuotesInput): Quote[] {
  const { text, segments, tokens, entities } = input;
  const ex: Extracted = extract({ text, paragraphs: segments.paragraphs, sentences: segments.sentences, tokens });
  const weights = input.weights !== undefined ? input.weights : (loadTagger()?.weights ?? null);
  const mode = input.mode ?? (weights ? 'hybrid' : 'rules');
  const drafts = mode === 'rules' || !weights ? ex.drafts : combine(text, ex, mode, weights);
  const speakers = resolveSpeakers({ text, units: ex.units, drafts, entities, regions: ex.regions });
  const quotes: Quote[] = [];
  drafts.forEach((d, i) => {
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

/**
 * The stage. `mode: 'rules'` trades accuracy for speed (about six times faster, see
 * bench/quotes.ts); the default uses the committed tagger when its file is present.
 */
export function createQuotesStage(options: { mode?: QuotesInput['mode'] } = {}): Stage {
  return {
    name: 'quotes',
    requires: ['segments', 'entities'],
    assigns: ['quotes'],
    languages: ['en'],
    run(input: StageInput): StageOutput {
      const entities = (input.analysis.entities ?? []) as Entity[];
      const tagger = options.mode === 'rules' ? null : loadTagger();
      const quotes = findQuotes({ text: input.text, segments: input.segments, tokens: input.tokens, entities, mode: options.mode });
      return { layers: { quotes }, model: tagger ? `${tagger.header.name}@${tagger.header.version}` : undefined };
    },
  };
}

export const quotesStage: Stage = createQuotesStage();

export default quotesStage;
