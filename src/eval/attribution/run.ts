/**
 * Scores the quotes layer on PolNeAR-format JSONL (see score.ts for the
 * matching rules). Each line (annotation file) is scored as its own document;
 * articles with two annotators therefore count twice, as in the published
 * PolNeAR statistics.
 *
 * Documents run through clean → segment → entities → quotes, like `analyze`;
 * PolNeAR offsets point into the raw text, so every predicted span is mapped
 * back through the cleaner's offset map (`toRawSpan`) before scoring.
 * `clean: false` scores on the raw text directly (to check the mapping).
 */
import type { Entity, Quote } from '../../document/types.ts';
import { clean, toRawSpan } from '../../clean/index.ts';
import { segment } from '../../segment/index.ts';
import { findEntities } from '../../stages/entities/index.ts';
import { findQuotes } from '../../stages/quotes/index.ts';
import { LEXICON } from '../../stages/quotes/lexicon.ts';
import { loadPolnear, type GoldRelation, type PolnearDoc } from './polnear.ts';
import { emptyCounts, itemOf, prf, scoreItems, tokenStarts, type Counts, type Item, type Range } from './score.ts';

export type Element = 'content' | 'cue' | 'source';
export const ELEMENTS: Element[] = ['content', 'cue', 'source'];

export interface EvalResult {
  docs: number;
  relations: number;
  predicted: number;
  /** Full gold. */
  full: Record<Element, Counts>;
  /** Speech-only gold: relations whose cue head is a speech verb, "according to" or ":". */
  speech: Record<Element, Counts> & { relations: number };
  byKind: Record<string, { gold: number; found: number }>;
  seconds: number;
}

export interface EvalOptions {
  /** Run the cleaner and map spans back to the raw text (default true). */
  clean?: boolean;
  /** Run the entities stage (default true); spans do not depend on it, speakers do. */
  entities?: boolean;
  /** Extractor mode (see QuotesInput.mode); default: the stage's default. */
  mode?: 'rules' | 'tagger' | 'hybrid';
}

/** The quotes of a raw PolNeAR text, with every span in raw offsets. */
export function quotesForRaw(raw: string, options: EvalOptions = {}): Quote[] {
  const useClean = options.clean ?? true;
  const cleaned = useClean ? clean(raw) : null;
  const text = cleaned ? cleaned.text : raw;
  const seg = segment(text);
  let entities: Entity[] = [];
  if (options.entities ?? true) {
    try {
      entities = findEntities(text, seg.tokens);
    } catch {
      // Span scores do not depend on entities (speakers do): score without them rather than stop.
      entities = [];
    }
  }
  const quotes = findQuotes({ text, segments: seg.segments, tokens: seg.tokens, entities, mode: options.mode });
  if (!cleaned) return quotes;
  const map = <T extends Range>(s: T): T => ({ ...s, ...toRawSpan(cleaned, s.start, s.end) });
  return quotes.map((q) => ({
    ...map(q),
    parts: q.parts.map(map),
    cue: q.cue ? map(q.cue) : null,
    source: q.source ? map(q.source) : null,
    speaker: { ...q.speaker, mention: q.speaker.mention ? map(q.speaker.mention) : null },
  }));
}

const SPEECH_EXTRA = new Set(['according', ':']);
const AUXISH = /^(has|have|had|is|are|was|were|be|been|also|not|did|does|do|would|will|could|can|just|later|first|then|publicly|repeatedly|previously|recently)$/;

/** Is the gold relation's cue head a communication verb (notes §5.3 speech-only gold)? */
export function isSpeechRelation(text: string, rel: GoldRelation): boolean {
  const c = rel.cue[0];
  if (!c) return false;
  const ws = text.slice(c.start, c.end).toLowerCase().match(/[a-z]+|:/g) ?? [];
  const head = ws.find((w) => !AUXISH.test(w));
  if (!head) return false;
  if (SPEECH_EXTRA.has(head)) return true;
  const lemma = LEXICON.verbForms.get(head);
  if (!lemma) return false;
  // Belief, perception and evidence verbs are attributions in PolNeAR but not speech.
  return !/^(think|believe|feel|fear|hope|expect|know|worry|doubt|show|find|see|consider|demonstrate|prove|wonder)$/.test(lemma);
}

function goldItems(starts: number[], rels: GoldRelation[], el: Element): Item[] {
  return rels.map((r) => itemOf(starts, r[el])).filter((x): x is Item => x !== null);
}

function predItems(starts: number[], quotes: Quote[], el: Element): Item[] {
  const spans = (q: Quote): Range[] => {
    if (el === 'content') return q.parts;
    if (el === 'cue') return q.cue ? [q.cue] : [];
    const s = q.source ?? q.speaker.mention;
    return s ? [s] : [];
  };
  return quotes.map((q) => itemOf(starts, spans(q))).filter((x): x is Item => x !== null);
}

function goldKind(text: string, rel: GoldRelation): string {
  let all = 0;
  let quoted = 0;
  for (const s of rel.content) {
    const seg = text.slice(s.start, s.end);
    let open = false;
    for (const ch of seg) {
      if (/["“”«»„]/.test(ch) || ch === "''") open = !open;
      else if (/[\p{L}\p{N}]/u.test(ch)) {
        all++;
        if (open) quoted++;
      }
    }
  }
  if (!all || !quoted) return 'indirect';
  return quoted / all >= 0.9 ? 'direct' : 'mixed';
}

export function evaluate(docs: PolnearDoc[], options: EvalOptions = {}): EvalResult {
  const t0 = performance.now();
  const full = { content: emptyCounts(), cue: emptyCounts(), source: emptyCounts() };
  const speech = { content: emptyCounts(), cue: emptyCounts(), source: emptyCounts(), relations: 0 };
  const byKind: Record<string, { gold: number; found: number }> = {};
  let relations = 0;
  let predicted = 0;
  for (const doc of docs) {
    const text = doc.text;
    const quotes = quotesForRaw(text, options);
    predicted += quotes.length;
    relations += doc.attributions.length;
    const starts = tokenStarts(text);
    const speechRels = doc.attributions.filter((r) => isSpeechRelation(text, r));
    speech.relations += speechRels.length;
    for (const el of ELEMENTS) {
      const pred = predItems(starts, quotes, el);
      scoreItems(pred, goldItems(starts, doc.attributions, el), full[el]);
      scoreItems(pred, goldItems(starts, speechRels, el), speech[el]);
    }
    // Content recall by gold kind (overlap match, each gold content matched independently).
    const predContent = predItems(starts, quotes, 'content');
    for (const r of doc.attributions) {
      const k = goldKind(text, r);
      const g = itemOf(starts, r.content);
      if (!g) continue;
      const slot = (byKind[k] ??= { gold: 0, found: 0 });
      slot.gold++;
      const c = emptyCounts();
      scoreItems(predContent, [g], c);
      if (c.overlap) slot.found++;
    }
  }
  return { docs: docs.length, relations, predicted, full, speech, byKind, seconds: (performance.now() - t0) / 1000 };
}

const pct = (x: number) => (100 * x).toFixed(1).padStart(5);

export function formatTable(r: EvalResult, dataName: string): string {
  const lines: string[] = [];
  lines.push(`PolNeAR attribution — ${dataName}: ${r.docs} annotation files, ${r.relations} gold relations, ${r.predicted} predicted quotes`);
  lines.push('Matching: exact = identical token sets; overlap = |P∩G| / max(|P|,|G|) ≥ 0.5, one-to-one, micro-averaged.');
  for (const [label, counts, n] of [
    ['full gold', r.full, r.relations],
    ['speech-only gold', r.speech, r.speech.relations],
  ] as const) {
    lines.push('');
    lines.push(`${label} (${n} relations)`);
    lines.push('element   |  gold |  pred | exact P   R     F1  | overlap P   R     F1');
    for (const el of ELEMENTS) {
      const c = counts[el];
      const e = prf(c.exact, c.pred, c.gold);
      const o = prf(c.overlap, c.pred, c.gold);
      lines.push(
        `${el.padEnd(9)} | ${String(c.gold).padStart(5)} | ${String(c.pred).padStart(5)} | ${pct(e.p)} ${pct(e.r)} ${pct(e.f)} |   ${pct(o.p)} ${pct(o.r)} ${pct(o.f)}`,
      );
    }
  }
  lines.push('');
  lines.push('content recall by gold kind (overlap): ' + Object.entries(r.byKind).map(([k, v]) => `${k} ${pct(v.found / v.gold).trim()}% of ${v.gold}`).join(' · '));
  lines.push(`time: ${r.seconds.toFixed(2)} s (${(r.docs / r.seconds).toFixed(0)} docs/s for clean + segment + entities + quotes)`);
  return lines.join('\n');
}

export function runFile(path: string, limit?: number, options: EvalOptions = {}): EvalResult {
  return evaluate(loadPolnear(path, limit ?? Infinity), options);
}
