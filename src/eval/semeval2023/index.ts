/**
 * Official SemEval-2023 Task 3 metrics, reimplemented to give the same
 * numbers as the organisers' scorers:
 * - subtask 1: macro-F1 over the classes present in gold or predictions
 *   (sklearn defaults, zero_division = 0), micro-F1 (= accuracy) beside it;
 * - subtasks 2 and 3: micro-F1 over all (item, label) pairs, macro-F1 over the
 *   full label list with zero_division = 1 (a label absent from both gold and
 *   predictions counts 1), as scorer-subtask-3.py does;
 * - spans: SemEval-2020 Task 11 span identification, precision and recall
 *   weighted by character overlap (label-agnostic, overlapping spans of one
 *   article merged first), plus the same with labels required to match.
 * Prediction files must cover exactly the gold ids, as the official scorers require.
 */
import { prf, type PRF } from '../../ml/metrics.ts';
import type { ArticleLabelRow, ParagraphLabelRow, SpanLabelRow } from '../../corpora/semeval2023/format.ts';

export class FormatError extends Error {}

function checkIds(gold: Map<string, unknown>, pred: Map<string, unknown>): void {
  const missing = [...gold.keys()].filter((k) => !pred.has(k));
  const extra = [...pred.keys()].filter((k) => !gold.has(k));
  if (missing.length || extra.length) {
    const show = (xs: string[]) => xs.slice(0, 5).map((x) => x.replace('_', ' ')).join(', ') + (xs.length > 5 ? ', …' : '');
    throw new FormatError(
      `prediction ids differ from gold: ${missing.length} missing${missing.length ? ` (${show(missing)})` : ''}, ${extra.length} not in gold${extra.length ? ` (${show(extra)})` : ''}`,
    );
  }
}

function checkLabels(pred: Map<string, string[]>, classes: string[]): void {
  const ok = new Set(classes);
  for (const [k, ls] of pred) for (const l of ls) if (!ok.has(l)) throw new FormatError(`invalid label '${l}' for ${k.replace('_', ' ')}`);
}

function keyed<T extends { article: string }>(rows: T[], key: (r: T) => string, val: (r: T) => string[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const r of rows) {
    const k = key(r);
    if (m.has(k)) throw new FormatError(`duplicate id ${k.replace('_', ' ')}`);
    m.set(k, val(r));
  }
  return m;
}

export interface MultiLabelScore {
  microF1: number;
  macroF1: number;
  micro: PRF;
  perLabel: Record<string, PRF & { support: number }>;
  items: number;
}

/** Micro/macro F1 over (item, label) pairs; `classes` is the official label list. */
export function scoreMultiLabel(gold: Map<string, string[]>, pred: Map<string, string[]>, classes: string[]): MultiLabelScore {
  checkIds(gold, pred);
  checkLabels(pred, classes);
  const c = new Map(classes.map((l) => [l, { tp: 0, fp: 0, fn: 0, support: 0 }]));
  for (const [k, g] of gold) {
    const gs = new Set(g.filter((l) => c.has(l)));
    const ps = new Set(pred.get(k)!);
    for (const l of gs) {
      c.get(l)!.support++;
      if (ps.has(l)) c.get(l)!.tp++;
      else c.get(l)!.fn++;
    }
    for (const l of ps) if (!gs.has(l)) c.get(l)!.fp++;
  }
  let tp = 0, fp = 0, fn = 0, macro = 0;
  const perLabel: MultiLabelScore['perLabel'] = {};
  for (const l of classes) {
    const x = c.get(l)!;
    tp += x.tp;
    fp += x.fp;
    fn += x.fn;
    perLabel[l] = { ...prf(x.tp, x.fp, x.fn, 1), support: x.support };
    macro += perLabel[l].f1;
  }
  const micro = prf(tp, fp, fn, 1);
  return { microF1: micro.f1, macroF1: classes.length ? macro / classes.length : 0, micro, perLabel, items: gold.size };
}

/** Subtask 3: paragraph rows. Gold labels outside `classes` are ignored, as the binarizer does. */
export function scoreTask3(gold: ParagraphLabelRow[], pred: ParagraphLabelRow[], classes: string[]): MultiLabelScore {
  const key = (r: ParagraphLabelRow) => `${r.article}_${r.paragraph}`;
  return scoreMultiLabel(keyed(gold, key, (r) => r.labels), keyed(pred, key, (r) => r.labels), classes);
}

/** Subtask 2: article rows with frame lists. */
export function scoreTask2(gold: ArticleLabelRow[], pred: ArticleLabelRow[], classes: string[]): MultiLabelScore {
  return scoreMultiLabel(keyed(gold, (r) => r.article, (r) => r.labels), keyed(pred, (r) => r.article, (r) => r.labels), classes);
}

export interface Task1Score {
  macroF1: number;
  microF1: number;
  perClass: Record<string, PRF & { support: number }>;
  items: number;
}

/** Subtask 1: one label per article; macro over the classes in gold ∪ predictions. */
export function scoreTask1(gold: ArticleLabelRow[], pred: ArticleLabelRow[], classes?: string[]): Task1Score {
  const g = keyed(gold, (r) => r.article, (r) => r.labels);
  const p = keyed(pred, (r) => r.article, (r) => r.labels);
  checkIds(g, p);
  if (classes) checkLabels(p, classes);
  for (const [k, ls] of p) if (ls.length !== 1) throw new FormatError(`article ${k}: expected exactly one label, found ${ls.length}`);
  const present = new Set<string>();
  for (const m of [g, p]) for (const ls of m.values()) if (ls[0] !== undefined) present.add(ls[0]);
  const c = new Map([...present].sort().map((l) => [l, { tp: 0, fp: 0, fn: 0, support: 0 }]));
  let correct = 0;
  for (const [k, gl] of g) {
    const gv = gl[0];
    const pv = p.get(k)![0];
    c.get(gv)!.support++;
    if (gv === pv) {
      c.get(gv)!.tp++;
      correct++;
    } else {
      c.get(gv)!.fn++;
      c.get(pv)!.fp++;
    }
  }
  const perClass: Task1Score['perClass'] = {};
  let macro = 0;
  for (const [l, x] of c) {
    perClass[l] = { ...prf(x.tp, x.fp, x.fn, 0), support: x.support };
    macro += perClass[l].f1;
  }
  return { macroF1: c.size ? macro / c.size : 0, microF1: g.size ? correct / g.size : 0, perClass, items: g.size };
}

// ---------- spans ----------

type Interval = [number, number];

/** Sorts and merges overlapping (or touching) intervals. */
export function mergeIntervals(xs: Interval[]): Interval[] {
  const s = xs.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: Interval[] = [];
  for (const [a, b] of s) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function overlap(a: Interval, b: Interval): number {
  return Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
}

export interface SpanScore {
  precision: number;
  recall: number;
  f1: number;
  predSpans: number;
  goldSpans: number;
}

function spanPRF(groups: Map<string, { gold: Interval[]; pred: Interval[] }>): SpanScore {
  let pSum = 0, rSum = 0, nS = 0, nT = 0;
  for (const { gold, pred } of groups.values()) {
    const T = mergeIntervals(gold);
    const S = mergeIntervals(pred);
    nS += S.length;
    nT += T.length;
    for (const s of S) for (const t of T) {
      const o = overlap(s, t);
      if (o) {
        pSum += o / (s[1] - s[0]);
        rSum += o / (t[1] - t[0]);
      }
    }
  }
  const precision = nS ? pSum / nS : 0;
  const recall = nT ? rSum / nT : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, predSpans: nS, goldSpans: nT };
}

export interface SpanScores {
  /** SemEval-2020 Task 11 SI: label-agnostic. */
  identification: SpanScore;
  /** Labels must match (overlap counted per technique). */
  labelled: SpanScore;
  perLabel: Record<string, SpanScore>;
}

/**
 * Span scores over the articles of gold and predictions together: a gold
 * span file lists only articles that have spans, so predicted spans in an
 * article without gold spans are all false positives, and a gold article with
 * no predictions only loses recall.
 */
export function scoreSpans(gold: SpanLabelRow[], pred: SpanLabelRow[], opts: { articles?: Iterable<string>; classes?: string[] } = {}): SpanScores {
  const articles = new Set(opts.articles ?? gold.map((r) => r.article));
  for (const r of pred) articles.add(r.article);
  if (opts.classes) {
    const ok = new Set(opts.classes);
    for (const r of pred) if (!ok.has(r.technique)) throw new FormatError(`invalid label '${r.technique}' for article ${r.article}`);
  }
  const un = new Map<string, { gold: Interval[]; pred: Interval[] }>();
  const lab = new Map<string, { gold: Interval[]; pred: Interval[] }>();
  const perLab = new Map<string, Map<string, { gold: Interval[]; pred: Interval[] }>>();
  const get = (m: Map<string, { gold: Interval[]; pred: Interval[] }>, k: string) => m.get(k) ?? m.set(k, { gold: [], pred: [] }).get(k)!;
  for (const a of articles) get(un, a);
  for (const [rows, side] of [[gold, 'gold'], [pred, 'pred']] as const) {
    for (const r of rows) {
      const iv: Interval = [r.start, r.end];
      get(un, r.article)[side].push(iv);
      get(lab, `${r.article}\u0000${r.technique}`)[side].push([r.start, r.end]);
      const pl = perLab.get(r.technique) ?? perLab.set(r.technique, new Map()).get(r.technique)!;
      get(pl, r.article)[side].push([r.start, r.end]);
    }
  }
  const perLabel: Record<string, SpanScore> = {};
  for (const [l, m] of [...perLab].sort((a, b) => (a[0] < b[0] ? -1 : 1))) perLabel[l] = spanPRF(m);
  return { identification: spanPRF(un), labelled: spanPRF(lab), perLabel };
}

/** A Markdown-ish per-label table. */
export function formatPerLabel(per: Record<string, PRF & { support?: number }>): string {
  const names = Object.keys(per);
  const w = Math.max(10, ...names.map((n) => n.length));
  const lines = [`${'label'.padEnd(w)}  support     P      R     F1`];
  for (const n of names) {
    const x = per[n];
    lines.push(`${n.padEnd(w)}  ${String(x.support ?? x.tp + x.fn).padStart(7)}  ${x.precision.toFixed(3)}  ${x.recall.toFixed(3)}  ${x.f1.toFixed(3)}`);
  }
  return lines.join('\n');
}
