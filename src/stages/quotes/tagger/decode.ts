/**
 * Tagger labels → relation drafts. Within a unit every cue span becomes a
 * relation; each source span goes to the nearest cue (left of the cue first),
 * and each content span to the nearest cue. Content with no cue in its unit
 * is left to the rules (colon lead-ins, continuations) and dropped here.
 */
import type { Span } from '../../../document/types.ts';
import type { Draft, Unit } from '../extract.ts';
import { LEXICON } from '../lexicon.ts';
import { ruleTags, pairedEmit, rowSums, rowSumsSecond, stackCtx, stackFeatures, unitEmissions, unitEmissionsBoth, unitEmissionsKept, worthTagging } from './features.ts';
import { L, pathGap, viterbiEmissions, type Weights } from './model.ts';

/** True when a unit is worth a second pass: the first pass or the rules found something in it. */
export function worthRestacking(labels: Uint8Array, rules: Uint8Array): boolean {
  for (let k = 0; k < labels.length; k++) if (labels[k] !== 0 || rules[k] !== 0) return true;
  return false;
}

/** Units tagged by a gated two-pass model, and how many of them went through the second pass. */
export const gateStats = { units: 0, second: 0 };

let em2Pool = new Float64Array(512 * L);
let sumPool = new Float64Array(512 * L);

/** The second pass: the first pass's emission scores plus the stacked features' weights, decoded again. */
function secondPass(unit: Unit, rules: Uint8Array, labels: Uint8Array, em: Float64Array, w: Weights): Uint8Array {
  const st = w.stack!;
  const n = labels.length;
  if (em2Pool.length < n * L) {
    em2Pool = new Float64Array(2 * n * L);
    sumPool = new Float64Array(2 * n * L);
  }
  const em2 = em2Pool.subarray(0, n * L);
  const sums = sumPool.subarray(0, n * L);
  sums.fill(0);
  stackFeatures(stackCtx(unit, rules), labels, (k, buf, len) => rowSums(st.emit, buf, len, sums, k * L));
  const ka = st.stackAlone ? 0 : (w.emitScale ?? 1);
  const kb = st.emitScale ?? 1;
  for (let i = 0; i < n * L; i++) em2[i] = em[i] * ka + sums[i] * kb;
  return viterbiEmissions({ emit: st.emit, trans: st.trans, labelBias: st.labelBias }, em2);
}

/** Off only to measure its effect (experiment.ts --no-dangling). */
export let danglingFix = true;
export function setDanglingFix(on: boolean): void {
  danglingFix = on;
}

/**
 * A tagged content span that ends on a function word ("… only until") runs on over the words
 * right after it that the rules read as content (in place, on `labels`).
 */
export function extendDangling(unit: Unit, labels: Uint8Array, rules: Uint8Array): void {
  const toks = unit.toks;
  const n = labels.length;
  for (let k = 0; k < n; k++) {
    if ((labels[k] !== 5 && labels[k] !== 6) || (k + 1 < n && labels[k + 1] === 6)) continue;
    if (!toks[k].word || !LEXICON.danglers.has(toks[k].norm.toLowerCase())) continue;
    let j = k + 1;
    while (j < n && labels[j] === 0 && rules[j] === 3 && toks[j].word) labels[j++] = 6;
    k = j - 1;
  }
}

interface Piece extends Span {
  type: 'S' | 'C' | 'X';
  from: number;
  to: number;
}

const DASHES = new Set(['-', '–', '—', '―', '--']);

function pieces(text: string, unit: Unit, labels: Uint8Array): Piece[] {
  const out: Piece[] = [];
  const toks = unit.toks;
  for (let k = 0; k < labels.length; k++) {
    const l = labels[k];
    if (l === 0 || l % 2 === 0) continue; // start only at B-*
    let e = k + 1;
    while (e < labels.length && labels[e] === l + 1) e++;
    const type = l === 1 ? 'S' : l === 3 ? 'C' : 'X';
    // Trim punctuation that is not a quotation mark at the edges of content and source.
    let a = k;
    let b = e;
    if (type === 'S') {
      // A source never reaches back over a spaced dash outside quotation marks: what precedes it is a
      // dateline ("CITY, March 3 (Agency) - Minister X said …") or another clause.
      for (let j = b - 1; j > a; j--) {
        const t = toks[j];
        if (!t.word && t.region < 0 && DASHES.has(t.norm) && text.charCodeAt(t.start - 1) === 32 && text.charCodeAt(t.end) === 32) {
          a = j + 1;
          break;
        }
      }
    }
    if (type !== 'C') {
      while (a < b && !toks[a].word && toks[a].region < 0) a++;
      while (b > a && !toks[b - 1].word && toks[b - 1].region < 0 && toks[b - 1].norm !== ',') b--;
      if (type === 'X') while (b > a && !toks[b - 1].word && toks[b - 1].region < 0) b--;
    }
    if (b > a) out.push({ type, from: a, to: b, start: toks[a].start, end: toks[b - 1].end });
    k = e - 1;
  }
  return out;
}

export function tagUnit(text: string, unit: Unit, unitIndex: number, drafts: readonly Draft[], weights: Weights, paragraphStart: boolean): Draft[] {
  const rules = ruleTags(unit, drafts);
  if (!worthTagging(unit, rules)) return [];
  const st = weights.stack;
  let labels: Uint8Array;
  if (st?.stackFull && st.gate !== undefined) {
    // Confidence-gated second pass: the first pass alone, then the second only where the first
    // pass's best path is within `gate` of another path (its own table, scored apart).
    const em = unitEmissions(text, unit, rules, paragraphStart, weights, 1, true);
    labels = viterbiEmissions(weights, em);
    if (worthRestacking(labels, rules) && pathGap(weights, em, labels) < st.gate) {
      // The second pass's scores of the same feature ids (kept, not hashed again) plus its stacked features.
      const em2 = unitEmissionsKept(unit, rules, st);
      stackFeatures(stackCtx(unit, rules), labels, (k, buf, len) => rowSums(st.emit, buf, len, em2, k * L));
      labels = viterbiEmissions(st, em2);
      gateStats.second++;
    }
    gateStats.units++;
  } else if (st?.stackFull) {
    // Two passes over the same features: the second adds the features of the first pass's tags.
    const [em, em2] = unitEmissionsBoth(text, unit, rules, paragraphStart, weights, st);
    labels = viterbiEmissions(weights, em);
    if (worthRestacking(labels, rules)) {
      // The second pass's rows, from the paired table of both passes when there is one.
      const pair = pairedEmit(weights, st);
      if (pair) stackFeatures(stackCtx(unit, rules), labels, (k, buf, len) => rowSumsSecond(pair, buf, len, em2, k * L));
      else stackFeatures(stackCtx(unit, rules), labels, (k, buf, len) => rowSums(st.emit, buf, len, em2, k * L));
      labels = viterbiEmissions(st, em2);
    }
  } else {
    const em = unitEmissions(text, unit, rules, paragraphStart, weights);
    labels = viterbiEmissions(weights, em);
    if (st && worthRestacking(labels, rules)) labels = secondPass(unit, rules, labels, em, weights);
  }
  if (danglingFix) extendDangling(unit, labels, rules);
  const ps = pieces(text, unit, labels);
  const cues = ps.filter((p) => p.type === 'C');
  if (cues.length === 0) return [];
  const rel = cues.map((c) => ({ cue: c as Piece, source: null as Piece | null, parts: [] as Piece[] }));
  const nearest = (p: Piece, preferLeftOfCue: boolean) => {
    let best = 0;
    let bestD = Infinity;
    rel.forEach((r, i) => {
      const c = r.cue;
      let d = p.to <= c.from ? c.from - p.to : p.from >= c.to ? p.from - c.to : 0;
      if (preferLeftOfCue && p.from >= c.to) d += 2;
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    return best;
  };
  for (const p of ps) {
    if (p.type === 'S') {
      const r = rel[nearest(p, true)];
      if (!r.source || Math.abs(p.to - r.cue.from) < Math.abs(r.source.to - r.cue.from)) r.source = p;
    } else if (p.type === 'X') rel[nearest(p, false)].parts.push(p);
  }
  // Relations without content are kept: the caller may complete them from the rules.
  return rel
    .map((r) => ({
      unit: unitIndex,
      cue: { start: r.cue.start, end: r.cue.end },
      cueText: text.slice(r.cue.start, r.cue.end),
      source: r.source ? { start: r.source.start, end: r.source.end } : null,
      parts: r.parts.map((p) => ({ start: p.start, end: p.end })),
      addressee: null,
      sameSourceAs: null,
      contentAfter: r.parts.length > 0 && r.parts[0].start >= r.cue.end,
    }));
}
