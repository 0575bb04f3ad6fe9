/**
 * The `quotes` stage: who said what. Direct, indirect and mixed attributions
 * with content parts, cue, source phrase, addressee and a resolved speaker.
 * Rule-based; word lists live in ./data (see each file's header).
 */
import type { Stage, StageInput, StageOutput } from '../../document/stage.ts';
import type { Entity, Quote, QuoteKind, Span, Speaker, TextSpan } from '../../document/types.ts';
import { LEXICON } from './lexicon.ts';
import { extract, type Draft, type Extracted } from './extract.ts';
import { resolveSpeakers } from './speakers.ts';
import { actOf } from './act.ts';
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
   * the model file exists): the tagger's relations, completed from the rules on the same cue, plus
   * rule relations the tagger has no cue for where they are quotations or go beyond the sentence.
   */
  mode?: 'rules' | 'tagger' | 'hybrid';
  /** Tagger weights (defaults to the committed model). */
  weights?: Weights | null;
}

/** A span that opens with a quotation mark. */
const OPEN_MARK = /^["“«„‘'`]/;

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

/** Keep the drafts marked true, re-pointing `sameSourceAs` (a dropped target leaves null). */
function keepDrafts(drafts: Draft[], keep: boolean[]): Draft[] {
  const where = new Map<number, number>();
  let n = 0;
  keep.forEach((k, i) => {
    if (k) where.set(i, n++);
  });
  return drafts.filter((_, i) => keep[i]).map((d) => (d.sameSourceAs === null ? d : { ...d, sameSourceAs: where.get(d.sameSourceAs) ?? null }));
}

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

function combine(text: string, ex: Extracted, mode: 'tagger' | 'hybrid', weights: Weights, headingUnits: Set<number>): Draft[] {
  const tagged: Draft[] = [];
  ex.units.forEach((u, i) => {
    const paraStart = i === 0 || ex.units[i - 1].paragraph !== u.paragraph;
    tagged.push(...tagUnit(text, u, i, ex.drafts, weights, paraStart));
  });
  if (mode === 'tagger') return sortDrafts(tagged.filter((t) => t.parts.length > 0));
  // Hybrid: the tagger's relations, except where the rules saw beyond the sentence (colon lead-ins,
  // continuations, multi-paragraph quotes, dash lines) — there the rule relation wins; plus the
  // rule relations whose cue the tagger did not mark, where they are quotations or go beyond the sentence.
  const unitOf = (d: Draft) => ex.units[d.unit];
  const beyond = (d: Draft) => d.parts.some((p) => p.start < unitOf(d).start || p.end > unitOf(d).end);
  const out: Draft[] = [];
  const usedRules = new Set<Draft>();
  /** Rule draft → the output draft that carries it (to keep `sameSourceAs` links). */
  const carrier = new Map<Draft, Draft>();
  /** Output draft → the rule draft it takes its source from. */
  const linkTo = new Map<Draft, Draft>();
  for (const t of tagged) {
    const r = ex.drafts.find((d) => d.cue && t.cue && overlaps(d.cue, t.cue));
    if (r && beyond(r)) {
      if (!usedRules.has(r)) {
        out.push(r);
        carrier.set(r, r);
        if (r.sameSourceAs !== null) linkTo.set(r, ex.drafts[r.sameSourceAs]);
      }
      usedRules.add(r);
    } else {
      // Complete what the tagger left out (no source, no content) from the rule relation on the same cue.
      const merged: Draft = r ? { ...t, source: t.source ?? r.source, parts: t.parts.length ? t.parts : r.parts, addressee: r.addressee } : t;
      merged.sameSourceAs = null;
      if (r) {
        if (!t.parts.length) merged.contentAfter = r.contentAfter;
        if (!merged.source && r.sameSourceAs !== null) linkTo.set(merged, ex.drafts[r.sameSourceAs]);
        usedRules.add(r);
        carrier.set(r, merged);
      }
      // A tagger relation with no source on a passive cue ("was shown", "is expected") names nobody.
      const passive = !merged.source && /^(is|are|was|were|be|been|being)\b/i.test(merged.cueText);
      if (merged.parts.length && !passive && !(sourcelessFilter && !r && unknownCue(text, merged))) out.push(merged);
    }
  }
  for (const d of ex.drafts) {
    if (!usedRules.has(d) && !tagged.some((t) => t.cue && d.cue && overlaps(d.cue, t.cue)) && keepRuleOnly(text, d, beyond(d) || headingUnits.has(d.unit))) {
      out.push(d);
      carrier.set(d, d);
      if (d.sameSourceAs !== null) linkTo.set(d, ex.drafts[d.sameSourceAs]);
    }
  }
  for (const [d, target] of linkTo) {
    const c = carrier.get(target);
    const k = c ? out.indexOf(c) : -1;
    const i = out.indexOf(d);
    if (i < 0) continue;
    out[i] = { ...d, sameSourceAs: k >= 0 && k !== i ? k : null };
  }
  // "…, adding that …" found by the tagger alone: the source is that of the relation before it in the unit.
  for (let i = 0; i < out.length; i++) {
    const d = out[i];
    if (d.source || d.sameSourceAs !== null || !d.cue || !/^\w+ing\b/i.test(d.cueText)) continue;
    let best = -1;
    for (let j = 0; j < out.length; j++) {
      const o = out[j];
      if (j === i || o.unit !== d.unit || !o.cue || !o.source || o.cue.start >= d.cue.start) continue;
      if (best < 0 || o.cue.start > out[best].cue!.start) best = j;
    }
    if (best >= 0) out[i] = { ...d, sameSourceAs: best };
  }
  return sortDrafts(out);
}

/** Off only to measure its effect (experiment.ts --no-sourceless-filter). */
let sourcelessFilter = true;
export function setSourcelessFilter(on: boolean): void {
  sourcelessFilter = on;
}

/**
 * A relation only the tagger found, with no source, a one-word cue that is neither a verb of the
 * speech lexicon nor a form heading at least three cues in PolNeAR train (data/cue-forms.tsv), and
 * no quotation as content, attributes nothing to anybody: "The latest round of restrictions, …,
 * bans the export of …" is a statement of the outlet, not a quote.
 */
function unknownCue(text: string, d: Draft): boolean {
  if (d.source || !d.cue) return false;
  const words = text.slice(d.cue.start, d.cue.end).toLowerCase().match(/[a-z]+(?:['’][a-z]+)?/g) ?? [];
  if (words.length !== 1) return false;
  const w = words[0];
  if (LEXICON.verbForms.has(w) || LEXICON.derived.has(w)) return false;
  return !d.parts.some((p) => OPEN_MARK.test(text.slice(p.start, p.end).trimStart()));
}

/**
 * A rule relation whose cue the tagger did not mark is kept when the rules saw something the
 * tagger cannot (content beyond the sentence: colon lead-ins, continuations, multi-paragraph
 * quotes) or a headline (the tagger was trained on body text; `plausible` still asks headlines
 * for a clause-taking cue), when it is a quotation, or when its cue is a colon or a dash.
 */
function keepRuleOnly(text: string, d: Draft, beyondUnit: boolean): boolean {
  if (beyondUnit) return true;
  // Colon and dash cues ("Vasquez: …", "“…” ― Name") are the rules' own constructions.
  if (/^[:—―–-]+$/.test(d.cueText.trim())) return true;
  return d.parts.some((p) => OPEN_MARK.test(text.slice(p.start, p.end).trimStart()));
}

const PARTICIPLE_NEXT = /^(in|on|at|by|last|earlier|this|yesterday|during|after|before|since|for|from|with|under|over|through|amid|to|as|late|early)$/;
/** Verbs that take a clause or a quotation as complement: the only cues a headline may use. */
const HEADLINE_CUES = /^(say|tell|warn|claim|argue|insist|admit|deny|confirm|predict|vow|pledge|promise|urge|ask|report|reveal|declare|announce|suggest|believe|think|fear|expect|call|accuse|according|add|explain|note|state|write|tweet|agree|acknowledge|concede|stress|question)$/;

/**
 * Relations the patterns find but that are not attributions:
 * - a past participle right after a comma and before a preposition modifies the noun before it
 *   ("The latest round of restrictions, announced in Brussels on Monday, bans …");
 * - in a title or heading, the cue must be a colon, a dash or a verb that takes a clause or a
 *   quotation ("Experts slam sanctions as 'warfare'" reports a stance, not speech).
 */
function plausible(text: string, ex: Extracted, d: Draft, headingUnits: Set<number>): boolean {
  if (!d.cue) return true;
  const unit = ex.units[d.unit];
  const toks = unit?.toks ?? [];
  const k = toks.findIndex((t) => t.start >= d.cue!.start);
  const cueWords = toks.filter((t) => t.start >= d.cue!.start && t.end <= d.cue!.end && t.word);
  // The cue may have taken the preposition in with it ("unveiled in"): the participle is its first word.
  const participleCue = cueWords.length >= 1 && /ed$/.test(cueWords[0].norm) && cueWords.slice(1).every((t) => PARTICIPLE_NEXT.test(t.norm));
  if (k > 0 && participleCue) {
    const prev = toks[k - 1];
    const next = toks[k + 1];
    const sourceBefore = !d.source || d.source.end <= d.cue.start;
    if (prev && !prev.word && prev.norm === ',' && prev.region < 0 && next && next.word && PARTICIPLE_NEXT.test(next.norm) && sourceBefore) return false;
  }
  if (headingUnits.has(d.unit)) {
    const c = text.slice(d.cue.start, d.cue.end).trim();
    if (/^[:—―–-]+$/.test(c)) return true;
    const lemmas = cueWords.map((t) => LEXICON.verbForms.get(t.norm) ?? t.norm);
    return lemmas.some((l) => HEADLINE_CUES.test(l));
  }
  return true;
}

/**
 * A cue made only of adverbs ("privately") with a verb right after it is the verb's modifier:
 * the verb joins the cue and leaves the content ("officials privately admit the measures failed").
 */
function repairCue(ex: Extracted, d: Draft, text: string): Draft {
  if (!d.cue || !d.parts.length) return d;
  const toks = ex.units[d.unit]?.toks ?? [];
  const inCue = toks.filter((t) => t.start >= d.cue!.start && t.end <= d.cue!.end);
  if (!inCue.length || !inCue.every((t) => t.word && /ly$/.test(t.norm) && !LEXICON.verbForms.has(t.norm))) return d;
  const k = toks.indexOf(inCue[inCue.length - 1]) + 1;
  const verb = toks[k];
  if (!verb || !verb.word || !LEXICON.verbForms.has(verb.norm) || verb.region >= 0) return d;
  const parts = d.parts
    .map((p) => (p.start === verb.start ? { start: toks[k + 1]?.start ?? p.end, end: p.end } : p))
    .filter((p) => p.end > p.start);
  return { ...d, cue: { start: d.cue.start, end: verb.end }, cueText: text.slice(d.cue.start, verb.end), parts };
}

/**
 * "“A,” she said several months later, and …": when the content before the cue is a quotation,
 * a second part after the cue is one only if it is a quotation too.
 */
function quotedPartsOnly(d: Draft, text: string): Draft {
  if (!d.cue || d.parts.length < 2) return d;
  const before = d.parts.filter((p) => p.end <= d.cue!.start);
  if (!before.length || !before.every((p) => OPEN_MARK.test(text.slice(p.start, p.end).trimStart()))) return d;
  const parts = d.parts.filter((p) => p.end <= d.cue!.start || OPEN_MARK.test(text.slice(p.start, p.end).trimStart()));
  return parts.length === d.parts.length ? d : { ...d, parts };
}

/**
 * A cue that lies inside the content of another relation with the same speaker repeats that
 * speaker's stance ("He made it clear that he expected …"): the inner relation is dropped.
 */
/**
 * Relations to drop because another relation of the same speaker holds them: a relation whose cue
 * lies inside the content of another of the same speaker ("He made it clear that he expected …")
 * is dropped; but when the outer relation is only an agency's "according to" around a speaker's
 * own relation ("“…,” Vale continued, according to Keldra Press"), the outer one goes and the
 * speaker's own quotation, cue and source stay.
 */
function nestedSameSpeaker(text: string, quotes: { d: Draft; spk: Speaker }[]): boolean[] {
  const drop = quotes.map(() => false);
  quotes.forEach(({ d, spk }, i) => {
    if (!d.cue || (!spk.entity && !spk.name)) return;
    quotes.forEach((o, j) => {
      if (j === i || !o.d.parts.some((p) => p.start <= d.cue!.start && d.cue!.end <= p.end)) return;
      if (!((spk.entity && o.spk.entity === spk.entity) || (spk.name && o.spk.name === spk.name))) return;
      const agency = o.d.cue && /^according to$/i.test(text.slice(o.d.cue.start, o.d.cue.end).trim());
      const own = d.source && o.d.parts.some((p) => p.start <= d.source!.start && d.source!.end <= p.end);
      if (agency && own) drop[j] = true;
      else drop[i] = true;
    });
  });
  return drop;
}

/** The quotes of a document (the stage's work, callable without a pipeline). */
export function findQuotes(input: QuotesInput): Quote[] {
  const { text, segments, tokens, entities } = input;
  const ex: Extracted = extract({ text, paragraphs: segments.paragraphs, sentences: segments.sentences, tokens });
  const weights = input.weights !== undefined ? input.weights : (loadTagger()?.weights ?? null);
  const mode = input.mode ?? (weights ? 'hybrid' : 'rules');
  const headingUnits = new Set<number>();
  ex.units.forEach((u, i) => {
    const role = segments.paragraphs[u.paragraph]?.role;
    if (role === 'title' || role === 'heading' || role === 'subtitle') headingUnits.add(i);
  });
  const all = (mode === 'rules' || !weights ? ex.drafts : combine(text, ex, mode, weights, headingUnits)).map((d) => quotedPartsOnly(repairCue(ex, d, text), text));
  const keep = all.map((d) => plausible(text, ex, d, headingUnits));
  const drafts = keepDrafts(all, keep);
  const speakers0 = resolveSpeakers({ text, units: ex.units, drafts, entities, regions: ex.regions });
  const withSpk = drafts.map((d, i) => ({ d, spk: speakers0[i] }));
  const dropped = nestedSameSpeaker(text, withSpk);
  const keep2 = withSpk.map((_, i) => !dropped[i]);
  const speakers = speakers0.filter((_, i) => keep2[i]);
  const finalDrafts = drafts.filter((_, i) => keep2[i]);
  const quotes: Quote[] = [];
  finalDrafts.forEach((d, i) => {
    const parts = d.parts.map((p) => trim(text, p)).filter((p) => p.end > p.start).sort((a, b) => a.start - b.start);
    if (parts.length === 0) return;
    const start = parts[0].start;
    const end = parts[parts.length - 1].end;
    const kind = kindOf(text, parts, ex.regions);
    const cue = d.cue ? ts(text, d.cue) : null;
    const source = d.source ? ts(text, trim(text, d.source)) : null;
    quotes.push({
      id: `q${quotes.length + 1}`,
      kind,
      act: actOf({ kind, cue, source, speaker: speakers[i] }),
      start,
      end,
      text: text.slice(start, end),
      parts: parts.map((p) => ts(text, p)),
      cue,
      speaker: speakers[i],
      addressee: d.addressee ? ts(text, d.addressee) : null,
      source,
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
