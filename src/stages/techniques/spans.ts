/**
 * The span tagger: one-vs-rest logistic regression over tokens (a token is
 * positive for a technique when a gold span of that technique covers it),
 * with window features. At prediction time it only runs for the techniques
 * the paragraph classifier accepted (a cascade), and turns token
 * probabilities into spans: short-span techniques become runs of accepted
 * tokens, clause-length techniques become the best sentence.
 */
import { fnv, mix } from '../../ml/hashing.ts';
import { MultiLabelLogReg, type LogRegJSON, type TrainOptions } from '../../ml/logreg.ts';
import type { SparseVec } from '../../ml/sparse.ts';
import { tokenizeWithOffsets, type FeatToken } from '../../ml/tokenize.ts';
import { decodeInt32, encodeArray } from '../../ml/codec.ts';
import { BucketTable } from '../../ml/vectorizer.ts';
import { RangeCache, rangeHash } from '../../ml/rangecache.ts';

/** Techniques whose spans are usually a clause or a sentence (median ≥ ~40 characters). */
export const SENTENCE_TECHNIQUES = new Set([
  'Doubt', 'Appeal_to_Fear-Prejudice', 'Causal_Oversimplification', 'Appeal_to_Authority', 'False_Dilemma-No_Choice',
  'Guilt_by_Association', 'Appeal_to_Hypocrisy', 'Whataboutism', 'Appeal_to_Popularity', 'Straw_Man', 'Appeal_to_Values',
  'Consequential_Oversimplification', 'Obfuscation-Vagueness-Confusion', 'Red_Herring', 'Questioning_the_Reputation', 'Appeal_to_Time',
]);

const BITS = 20;
const MASK = (1 << BITS) - 1;

function shape(t: string): string {
  if (/^\p{Lu}+$/u.test(t) && t.length > 1) return 'XX';
  if (/^\p{Lu}/u.test(t)) return 'Xx';
  if (/^\p{Ll}/u.test(t)) return 'x';
  if (/^\p{N}/u.test(t)) return 'd';
  return t;
}

export interface TokenContext {
  tokens: FeatToken[];
  lower: string[];
  /** Count of each lower-cased token in the whole article. */
  articleCounts: Map<string, number>;
  inQuote: Uint8Array;
  /** Cached per-token hashes. */
  base?: { word: Int32Array; shape: Int32Array };
}

const QUOTE_CHARS = new Set(['"', '“', '”', '«', '»', '„']);

/**
 * `lower` may be passed when the caller already has `wordTokens(text)` (the
 * same tokens, lower-cased), to skip lower-casing them again.
 */
export function tokenContext(text: string, articleCounts: Map<string, number>, lower?: string[]): TokenContext {
  const tokens = tokenizeWithOffsets(text);
  if (!lower || lower.length !== tokens.length) {
    lower = tokens.map((t) => {
      const l = t.text.toLowerCase();
      return l.indexOf('’') >= 0 ? l.replace(/’/g, "'") : l;
    });
  }
  const inQuote = new Uint8Array(tokens.length);
  let open = false;
  tokens.forEach((t, i) => {
    if (t.text.length === 1 && QUOTE_CHARS.has(t.text)) {
      open = t.text === '”' || t.text === '»' ? false : t.text === '“' || t.text === '«' || t.text === '„' ? true : !open;
      inQuote[i] = 1;
    } else inQuote[i] = open ? 1 : 0;
  });
  return { tokens, lower, articleCounts, inQuote };
}

const BOS = fnv('<s>');
const EOS = fnv('</s>');

/** Hashes of a token's lower-cased form and of its shape, cached per token text (bounded). */
const tokenHashCache = new Map<string, { lower: string; word: number; shape: number }>();

/** Per-token hashes computed once per paragraph. */
function tokenBase(ctx: TokenContext): { word: Int32Array; shape: Int32Array } {
  if (ctx.base) return ctx.base;
  const n = ctx.tokens.length;
  const word = new Int32Array(n);
  const sh = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const t = ctx.tokens[i].text;
    let e = tokenHashCache.get(t);
    if (!e || e.lower !== ctx.lower[i]) {
      e = { lower: ctx.lower[i], word: fnv(ctx.lower[i]), shape: fnv(shape(t)) };
      if (tokenHashCache.size >= 100_000) tokenHashCache.clear();
      tokenHashCache.set(t, e);
    }
    word[i] = e.word;
    sh[i] = e.shape;
  }
  ctx.base = { word, shape: sh };
  return ctx.base;
}

const NS = Array.from({ length: 20 }, (_, i) => mix(0x811c9dc5, i + 1));

/** FNV-1a of str[from, to) with a seed (same as `fnv(str.slice(from, to), seed)`). */
function fnvRange(str: string, from: number, to: number, seed: number): number {
  let h = seed >>> 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ str.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Writes the hashed feature buckets of token i into `out` (at least 15 slots); returns how many. */
function tokenHashesInto(ctx: TokenContext, i: number, word: Int32Array, sh: Int32Array, out: Int32Array): number {
  const { lower } = ctx;
  const n = lower.length;
  const wm2 = i - 2 < 0 ? BOS : word[i - 2];
  const wm1 = i - 1 < 0 ? BOS : word[i - 1];
  const w0 = word[i];
  const wp1 = i + 1 >= n ? EOS : word[i + 1];
  const wp2 = i + 2 >= n ? EOS : word[i + 2];
  const sm1 = i - 1 < 0 ? BOS : sh[i - 1];
  const sp1 = i + 1 >= n ? EOS : sh[i + 1];
  let m = 0;
  const cur = lower[i];
  out[m++] = mix(NS[1], w0) & MASK;
  out[m++] = mix(NS[2], wm1) & MASK;
  out[m++] = mix(NS[3], wp1) & MASK;
  out[m++] = mix(NS[4], wm2) & MASK;
  out[m++] = mix(NS[5], wp2) & MASK;
  out[m++] = mix(mix(NS[6], wm1), w0) & MASK;
  out[m++] = mix(mix(NS[7], w0), wp1) & MASK;
  if (cur.length > 3) {
    out[m++] = fnvRange(cur, cur.length - 3, cur.length, NS[8]) & MASK;
    out[m++] = fnvRange(cur, 0, 4, NS[9]) & MASK;
  }
  out[m++] = mix(NS[10], sh[i]) & MASK;
  out[m++] = mix(mix(NS[11], sm1), sp1) & MASK;
  out[m++] = mix(NS[12], ctx.inQuote[i]) & MASK;
  const c = ctx.articleCounts.get(cur) ?? 0;
  out[m++] = mix(NS[13], cur.length >= 4 ? (c >= 5 ? 4 : c >= 3 ? 3 : c >= 2 ? 2 : 1) : 0) & MASK;
  out[m++] = mix(NS[14], i === 0 ? 0 : i === n - 1 ? 1 : i < 3 ? 2 : 3) & MASK;
  out[m++] = NS[15] & MASK;
  return m;
}

/** Hashed feature buckets of token i (before pruning). */
export function tokenHashes(ctx: TokenContext, i: number): number[] {
  const { word, shape: sh } = tokenBase(ctx);
  const buf = new Int32Array(16);
  const m = tokenHashesInto(ctx, i, word, sh, buf);
  return Array.from(buf.subarray(0, m));
}

export interface SpanTaggerJSON {
  buckets: string;
  model: LogRegJSON;
  /** Token acceptance cut per technique (probability). */
  tokenThreshold: number;
  relative: number;
}

export class SpanTagger {
  private col: BucketTable;
  constructor(readonly buckets: Int32Array, readonly model: MultiLabelLogReg, readonly tokenThreshold = 0.3, readonly relative = 0.5) {
    this.col = new BucketTable(buckets);
  }

  row(ctx: TokenContext, i: number): SparseVec {
    const idx: number[] = [];
    for (const h of tokenHashes(ctx, i)) {
      const c = this.col.get(h);
      if (c >= 0) idx.push(c);
    }
    const sorted = Int32Array.from(idx).sort();
    let m = 0;
    for (let k = 0; k < sorted.length; k++) if (k === 0 || sorted[k] !== sorted[k - 1]) sorted[m++] = sorted[k];
    const u = sorted.slice(0, m);
    return { idx: u, val: new Float32Array(m).fill(1 / Math.sqrt(Math.max(1, m))) };
  }

  /** Token probabilities for one technique index. */
  tokenProbs(ctx: TokenContext, label: number): Float64Array {
    const out = new Float64Array(ctx.tokens.length);
    for (let i = 0; i < ctx.tokens.length; i++) {
      const z = this.model.decision(this.row(ctx, i));
      out[i] = 1 / (1 + Math.exp(-z[label]));
    }
    return out;
  }

  private colBuf = new Int32Array(16);
  /**
   * Token text → [lower-case hash, shape hash, then the columns of the
   * features that depend on that token only: NS1 word, NS2 word (as left
   * neighbour), NS3 (right), NS4 (two left), NS5 (two right), suffix, prefix,
   * NS10 shape; -1 where the bucket was pruned or the feature is absent].
   * The lower-cased token is a function of its text (wordTokens' rule), so
   * the text alone is the key.
   */
  private tokenCache = new RangeCache(100_000);
  private tokenPayload = new Int32Array(10);
  private fixedCols: Int32Array | null = null;

  private colOf(h: number): number {
    return this.col.get(h & MASK);
  }

  /** Looks the token up (computing it on a miss); its payload is then tokenCache.data[tokenCache.hitOff ...]. */
  private tokenEntry(text: string, lower: string): void {
    const cache = this.tokenCache;
    const h = rangeHash(text, 0, text.length);
    if (cache.get(text, 0, text.length, h)) return;
    const word = fnv(lower);
    const shapeHash = fnv(shape(text));
    const e = this.tokenPayload;
    e[0] = word;
    e[1] = shapeHash;
    e[2] = this.colOf(mix(NS[1], word));
    e[3] = this.colOf(mix(NS[2], word));
    e[4] = this.colOf(mix(NS[3], word));
    e[5] = this.colOf(mix(NS[4], word));
    e[6] = this.colOf(mix(NS[5], word));
    e[7] = lower.length > 3 ? this.colOf(fnvRange(lower, lower.length - 3, lower.length, NS[8])) : -1;
    e[8] = lower.length > 3 ? this.colOf(fnvRange(lower, 0, 4, NS[9])) : -1;
    e[9] = this.colOf(mix(NS[10], shapeHash));
    cache.set(text, 0, text.length, h, e, 10);
  }

  /** Columns of features with few values: [BOS as NS2, BOS as NS4, EOS as NS3, EOS as NS5, inQuote 0–1, count class 0–4, position 0–3, bias]. */
  private fixed(): Int32Array {
    if (this.fixedCols) return this.fixedCols;
    const f = new Int32Array(16);
    f[0] = this.colOf(mix(NS[2], BOS));
    f[1] = this.colOf(mix(NS[4], BOS));
    f[2] = this.colOf(mix(NS[3], EOS));
    f[3] = this.colOf(mix(NS[5], EOS));
    for (let v = 0; v < 2; v++) f[4 + v] = this.colOf(mix(NS[12], v));
    for (let v = 0; v < 5; v++) f[6 + v] = this.colOf(mix(NS[13], v));
    for (let v = 0; v < 4; v++) f[11 + v] = this.colOf(mix(NS[14], v));
    f[15] = this.colOf(NS[15]);
    this.fixedCols = f;
    return f;
  }

  /**
   * Sorted distinct columns of every token of the paragraph (the same sets as
   * `row`): `cols[off[i] .. off[i + 1])` for token i.
   */
  paragraphColumns(ctx: TokenContext): { cols: Int32Array; off: Int32Array } {
    const n = ctx.tokens.length;
    // per token: its hashes and its own columns (per[8 i .. 8 i + 8)), from the token cache
    const word = new Int32Array(n);
    const sh = new Int32Array(n);
    const per = new Int32Array(n * 8);
    const cache = this.tokenCache;
    for (let i = 0; i < n; i++) {
      this.tokenEntry(ctx.tokens[i].text, ctx.lower[i]);
      const d = cache.data;
      const o = cache.hitOff;
      word[i] = d[o];
      sh[i] = d[o + 1];
      for (let k = 0; k < 8; k++) per[i * 8 + k] = d[o + 2 + k];
    }
    ctx.base ??= { word, shape: sh };
    const f = this.fixed();
    const cols = new Int32Array(n * 15);
    const off = new Int32Array(n + 1);
    const raw = this.colBuf;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const own = i * 8;
      const wm1 = i - 1 < 0 ? BOS : word[i - 1];
      const wp1 = i + 1 >= n ? EOS : word[i + 1];
      const sm1 = i - 1 < 0 ? BOS : sh[i - 1];
      const sp1 = i + 1 >= n ? EOS : sh[i + 1];
      raw[0] = per[own];
      raw[1] = i - 1 < 0 ? f[0] : per[own - 8 + 1];
      raw[2] = i + 1 >= n ? f[2] : per[own + 8 + 2];
      raw[3] = i - 2 < 0 ? f[1] : per[own - 16 + 3];
      raw[4] = i + 2 >= n ? f[3] : per[own + 16 + 4];
      raw[5] = this.colOf(mix(mix(NS[6], wm1), word[i]));
      raw[6] = this.colOf(mix(mix(NS[7], word[i]), wp1));
      raw[7] = per[own + 5];
      raw[8] = per[own + 6];
      raw[9] = per[own + 7];
      raw[10] = this.colOf(mix(mix(NS[11], sm1), sp1));
      raw[11] = f[4 + ctx.inQuote[i]];
      const cur = ctx.lower[i];
      let cls = 0;
      if (cur.length >= 4) {
        const c = ctx.articleCounts.get(cur) ?? 0;
        cls = c >= 5 ? 4 : c >= 3 ? 3 : c >= 2 ? 2 : 1;
      }
      raw[12] = f[6 + cls];
      raw[13] = f[11 + (i === 0 ? 0 : i === n - 1 ? 1 : i < 3 ? 2 : 3)];
      raw[14] = f[15];
      // insertion into the sorted run of token i, dropping repeats and pruned buckets
      const start = m;
      for (let k = 0; k < 15; k++) {
        const c = raw[k];
        if (c < 0) continue;
        let p = m;
        while (p > start && cols[p - 1] > c) p--;
        if (p > start && cols[p - 1] === c) continue;
        for (let r = m; r > p; r--) cols[r] = cols[r - 1];
        cols[p] = c;
        m++;
      }
      off[i + 1] = m;
    }
    return { cols, off };
  }

  /** Token probabilities for a few labels: `out[k][i]` is label `ls[k]` at token i. */
  tokenProbsFor(ctx: TokenContext, ls: number[]): Float64Array[] {
    const n = ctx.tokens.length;
    const L = this.model.labels.length;
    const out = ls.map(() => new Float64Array(n));
    const { q, qScale, b } = this.model;
    // float weights only for a model stored without quantisation (reading `w` would dequantise)
    const w = q && qScale ? null : this.model.w;
    const { cols, off } = this.paragraphColumns(ctx);
    for (let i = 0; i < n; i++) {
      const from = off[i];
      const to = off[i + 1];
      const v = Math.fround(1 / Math.sqrt(Math.max(1, to - from)));
      for (let k = 0; k < ls.length; k++) {
        const l = ls[k];
        let z: number;
        if (q && qScale) {
          z = 0;
          for (let j = from; j < to; j++) z += q[cols[j] * L + l] * v;
          z = z * qScale[l] + b[l];
        } else {
          z = b[l];
          for (let j = from; j < to; j++) z += w![cols[j] * L + l] * v;
        }
        out[k][i] = 1 / (1 + Math.exp(-z));
      }
    }
    return out;
  }

  /** All labels' token probabilities (one pass). */
  allTokenProbs(ctx: TokenContext): Float64Array[] {
    return ctx.tokens.map((_, i) => {
      const z = this.model.decision(this.row(ctx, i));
      for (let l = 0; l < z.length; l++) z[l] = 1 / (1 + Math.exp(-z[l]));
      return z;
    });
  }

  static train(
    examples: { ctx: TokenContext; labels: Set<number>[] }[],
    labels: string[],
    opts: TrainOptions & { minCount?: number; maxFeatures?: number } = {},
  ): SpanTagger {
    const counts = new Map<number, number>();
    for (const e of examples) for (let i = 0; i < e.ctx.tokens.length; i++) for (const h of tokenHashes(e.ctx, i)) counts.set(h, (counts.get(h) ?? 0) + 1);
    let kept = [...counts].filter(([, c]) => c >= (opts.minCount ?? 3));
    if (opts.maxFeatures && kept.length > opts.maxFeatures) kept = kept.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, opts.maxFeatures);
    const keep = kept.map(([h]) => h).sort((a, b) => a - b);
    const shell = new SpanTagger(Int32Array.from(keep), new MultiLabelLogReg(labels, keep.length));
    const rows: SparseVec[] = [];
    const y: number[][] = [];
    for (const e of examples) {
      for (let i = 0; i < e.ctx.tokens.length; i++) {
        rows.push(shell.row(e.ctx, i));
        y.push([...e.labels[i]]);
      }
    }
    const model = MultiLabelLogReg.train(rows, y, labels, keep.length, opts);
    return new SpanTagger(Int32Array.from(keep), model);
  }

  toJSON(): SpanTaggerJSON {
    return { buckets: encodeArray(this.buckets), model: this.model.toJSON(true), tokenThreshold: this.tokenThreshold, relative: this.relative };
  }

  static fromJSON(j: SpanTaggerJSON): SpanTagger {
    return new SpanTagger(decodeInt32(j.buckets), MultiLabelLogReg.fromJSON(j.model), j.tokenThreshold, j.relative);
  }

  withThresholds(tokenThreshold: number, relative: number): SpanTagger {
    return new SpanTagger(this.buckets, this.model, tokenThreshold, relative);
  }
}

/** Sentence-ish pieces of a paragraph: cut after . ! ? … ; followed by space. */
export function sentencePieces(text: string): [number, number][] {
  const out: [number, number][] = [];
  let start = 0;
  const re = /[.!?…;:]+["”’»)]*\s+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const end = m.index + m[0].length;
    out.push([start, end]);
    start = end;
  }
  if (start < text.length) out.push([start, text.length]);
  return out.map(([a, b]) => trimRange(text, a, b)).filter(([a, b]) => b > a);
}

export function trimRange(text: string, a: number, b: number): [number, number] {
  while (a < b && /\s/.test(text[a])) a++;
  while (b > a && /\s/.test(text[b - 1])) b--;
  return [a, b];
}

/**
 * Spans (offsets within the paragraph text) for one technique from its token
 * probabilities. Short techniques: maximal runs of tokens whose probability
 * is at least max(cut, relative × best), bridging single-token gaps. Sentence
 * techniques: the sentence with the highest mean token probability.
 * Always returns at least one span when the paragraph has tokens.
 */
export function decodeSpans(text: string, ctx: TokenContext, probs: ArrayLike<number>, technique: string, cut: number, relative: number): { start: number; end: number; score: number }[] {
  const n = ctx.tokens.length;
  if (!n) return [];
  let best = 0;
  for (let i = 1; i < n; i++) if (probs[i] > probs[best]) best = i;
  if (SENTENCE_TECHNIQUES.has(technique)) {
    let top: { start: number; end: number; score: number } | null = null;
    for (const [a, b] of sentencePieces(text)) {
      let s = 0, c = 0;
      for (let i = 0; i < n; i++) {
        const t = ctx.tokens[i];
        if (t.start >= a && t.end <= b) {
          s += probs[i];
          c++;
        }
      }
      if (!c) continue;
      const score = s / c;
      if (!top || score > top.score) top = { start: a, end: b, score };
    }
    return top ? [top] : [];
  }
  const bar = Math.max(cut, relative * probs[best]);
  const on = Array.from({ length: n }, (_, i) => probs[i] >= bar);
  for (let i = 1; i + 1 < n; i++) if (!on[i] && on[i - 1] && on[i + 1] && /[\p{L}\p{N}'’-]/u.test(ctx.tokens[i].text)) on[i] = true;
  const spans: { start: number; end: number; score: number }[] = [];
  for (let i = 0; i < n; i++) {
    if (!on[i]) continue;
    let j = i;
    let s = 0;
    while (j < n && on[j]) s += probs[j++];
    let a = i, b = j - 1;
    // do not start or end on punctuation, except a closing quote that matches an opening one
    while (a < b && !/[\p{L}\p{N}]/u.test(ctx.tokens[a].text)) a++;
    while (b > a && !/[\p{L}\p{N}]/u.test(ctx.tokens[b].text)) b--;
    if (/[\p{L}\p{N}]/u.test(ctx.tokens[a].text)) spans.push({ start: ctx.tokens[a].start, end: ctx.tokens[b].end, score: s / (j - i) });
    i = j;
  }
  if (!spans.length) spans.push({ start: ctx.tokens[best].start, end: ctx.tokens[best].end, score: probs[best] });
  return spans;
}
