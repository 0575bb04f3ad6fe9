/**
 * Per-element attribution scoring (Citron / CofeNet style, notes/attribution.md §5).
 *
 * Each relation contributes up to three *items*: its content, its cue and its
 * source. An item is the set of tokens covered by the element's spans (the
 * union of its parts, so discontinuous content is one item). Elements with no
 * span (an empty source) contribute no item.
 *
 * Tokens: maximal runs of letters/digits, and every other non-space character
 * on its own (`/[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu`). A token belongs to a span
 * when the token's first character lies inside the span.
 *
 * Two items match
 *   - exactly, when their token sets are identical;
 *   - by overlap, when |P ∩ G| / max(|P|, |G|) ≥ 0.5, i.e. the shared tokens
 *     are at least half of the predicted item AND at least half of the gold item.
 *
 * Matching is one-to-one within a document and element type: candidate pairs
 * are taken greedily by decreasing overlap ratio (ties: document order). Then
 * precision = matched / predicted items, recall = matched / gold items,
 * F1 = harmonic mean. Counts are summed over documents (micro average).
 */

export interface Range {
  start: number;
  end: number;
}

export interface Item {
  /** Sorted token indices. */
  toks: number[];
}

export interface Counts {
  pred: number;
  gold: number;
  exact: number;
  overlap: number;
}

export const emptyCounts = (): Counts => ({ pred: 0, gold: 0, exact: 0, overlap: 0 });

const TOKEN = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

/** Token start offsets of a text (ascending). */
export function tokenStarts(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(TOKEN)) out.push(m.index!);
  return out;
}

function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The item of a list of spans: token indices whose start lies in any span. */
export function itemOf(starts: number[], spans: Range[]): Item | null {
  const set = new Set<number>();
  for (const s of spans) {
    for (let k = lowerBound(starts, s.start); k < starts.length && starts[k] < s.end; k++) set.add(k);
  }
  if (set.size === 0) return null;
  return { toks: [...set].sort((a, b) => a - b) };
}

function intersect(a: number[], b: number[]): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      n++;
      i++;
      j++;
    } else if (a[i] < b[j]) i++;
    else j++;
  }
  return n;
}

/** Overlap ratio |P∩G| / max(|P|,|G|). */
export function overlapRatio(p: Item, g: Item): number {
  return intersect(p.toks, g.toks) / Math.max(p.toks.length, g.toks.length);
}

/** Score predicted against gold items of one document and element type; adds into `c`. */
export function scoreItems(pred: Item[], gold: Item[], c: Counts, threshold = 0.5): void {
  c.pred += pred.length;
  c.gold += gold.length;
  // Exact: one-to-one on identical token sets.
  const key = (x: Item) => x.toks.join(',');
  const goldKeys = new Map<string, number>();
  for (const g of gold) goldKeys.set(key(g), (goldKeys.get(key(g)) ?? 0) + 1);
  for (const p of pred) {
    const k = key(p);
    const left = goldKeys.get(k) ?? 0;
    if (left > 0) {
      c.exact++;
      goldKeys.set(k, left - 1);
    }
  }
  // Overlap: greedy one-to-one by decreasing ratio.
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < pred.length; i++) {
    for (let j = 0; j < gold.length; j++) {
      const r = overlapRatio(pred[i], gold[j]);
      if (r >= threshold) pairs.push([r, i, j]);
    }
  }
  pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  const usedP = new Set<number>();
  const usedG = new Set<number>();
  for (const [, i, j] of pairs) {
    if (usedP.has(i) || usedG.has(j)) continue;
    usedP.add(i);
    usedG.add(j);
    c.overlap++;
  }
}

export interface PRF {
  p: number;
  r: number;
  f: number;
}

export function prf(matched: number, pred: number, gold: number): PRF {
  const p = pred ? matched / pred : 0;
  const r = gold ? matched / gold : 0;
  return { p, r, f: p + r ? (2 * p * r) / (p + r) : 0 };
}
