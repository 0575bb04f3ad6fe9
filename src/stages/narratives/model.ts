/**
 * The SemEval-2025 narrative classifier: hashed TF-IDF of word 1–2-grams and
 * character n-grams inside words, one-vs-rest logistic regression over the 21
 * narratives + `Other`, the two domains and the 95 subnarratives, and
 * hierarchical decoding with per-language thresholds:
 *
 *  1. `Other` gate: p(Other) ≥ tOther → Other / Other.
 *  2. Domain: the larger of p(URW) and p(CC).
 *  3. Narratives of that domain with p ≥ tNarr, else the single best one.
 *  4. For each chosen narrative, its subnarratives (including "X: Other") with
 *     p ≥ tSub, else its best one.
 *
 * So the output is always consistent: no subnarrative without its narrative,
 * no mixed domains, no `Other` beside a narrative. Pure: no I/O here.
 */
import { concat, HashedTfidf, MultiLabelLogReg, wordTokens, type LogRegJSON, type SparseVec, type VectorizerJSON } from '../../ml/index.ts';
import { NARRATIVES, OTHER, type Domain } from '../../corpora/semeval2025/taxonomy.ts';
import { loadWordVectors } from '../../models/embeddings/index.ts';
import { labelVectors, logit, predictDenseLR, stackDoc, Stacker, type DenseLRJSON, type StackerJSON, type StackLabels } from './stack.ts';
import { segment } from '../../segment/index.ts';

/**
 * What a feature block reads: the text (default), or the text's words replaced by their word-vector
 * cluster at `level` of src/models/embeddings (words without a vector dropped), so that n-grams of
 * clusters generalise over words the training documents never used.
 */
export type BlockInput = { kind: 'text' } | { kind: 'clusters'; level: number; weight?: number } | { kind: 'lede'; sentences: number; weight?: number };

/** The sentences of a text as the segmenter cuts them (what the stage's segments hold for the same text). */
export function sentencesOf(text: string): string[] {
  return segment(text).segments.sentences.map((s) => s.text);
}

/**
 * The title and lede of a text: its first `n` sentences (the first line, usually the headline, is the
 * first sentence), for a block of their own ({ kind: 'lede' }).
 */
export function ledeText(text: string, n: number): string {
  return sentencesOf(text).slice(0, n).join('\n');
}

/**
 * Per-label extra features the expected-F1 calibration may read (Ef1Params.x), in this order:
 * the largest sentence logit of the label (bias + one sentence's features · the label's weights), the
 * mean of the three largest (fewer sentences: of those there are).
 */
export const EXTRA_FEATURES = ['sentMax', 'sentTop3'] as const;
export type ExtraFeature = (typeof EXTRA_FEATURES)[number];
/** Extra features of one label (EXTRA_FEATURES order). */
export type ExtraOf = (l: number) => ArrayLike<number>;

/** [largest, mean of the top 3] of the scores (0, 0 for none). */
export function maxTop3(scores: number[]): [number, number] {
  if (!scores.length) return [0, 0];
  const s = [...scores].sort((a, b) => b - a);
  const k = Math.min(3, s.length);
  let t = 0;
  for (let i = 0; i < k; i++) t += s[i];
  return [s[0], t / k];
}

/** The words of a text as cluster tokens ("k123"), words without a vector dropped. */
export function clusterTokens(tokens: readonly string[], level: number): string[] {
  const wv = loadWordVectors();
  const out: string[] = [];
  for (const t of tokens) {
    const id = wv.id(t);
    if (id >= 0) out.push(`k${wv.cluster(id, level)}`);
  }
  return out;
}

export const DOMAIN_LABELS = ['domain:URW', 'domain:CC'] as const;

/** Column order of the classifier: narratives, Other, the two domains, then subnarratives. */
export function modelLabels(): string[] {
  return [
    ...NARRATIVES.map((n) => n.label),
    OTHER,
    ...DOMAIN_LABELS,
    ...NARRATIVES.flatMap((n) => n.subnarratives),
  ];
}

export interface Thresholds {
  tOther: number;
  tNarr: number;
  tSub: number;
  /** Expected-F1 decoding (see decodeExpectedF1); tNarr and tSub are then unused. */
  ef1?: Ef1Params;
}

/**
 * Platt calibrations [a, b] (q = σ(a·logit p + b)) fitted on out-of-fold probabilities: narratives on
 * narrative-bearing documents, subnarratives on documents carrying their parent narrative, `Other` on all
 * documents; `mass` scales the expected number of gold labels in the expected-F1 denominator.
 */
export interface Ef1Params {
  narr: [number, number];
  sub: [number, number];
  other: [number, number];
  mass: number;
  /**
   * When set, each chosen narrative keeps its subnarratives with raw p ≥ subThreshold (else its best one)
   * instead of the expected-F1 subnarrative set; the gate is computed the same way.
   */
  subThreshold?: number;
  /**
   * Multi-feature calibration (session 5, off when absent): q = σ(w · [logit p, extra features]) for
   * narratives and subnarratives instead of the Platt pair; `features` names the EXTRA_FEATURES read.
   */
  x?: { features: ExtraFeature[]; narr: DenseLRJSON; sub: DenseLRJSON };
  /** Session 5 (off when absent): each chosen narrative keeps exactly its best subnarrative ("X: Other" included). */
  subOne?: boolean;
}

export const DEFAULT_THRESHOLDS: Thresholds = { tOther: 0.5, tNarr: 0.2, tSub: 0.15 };

/**
 * Classifier weights at 4 bits: per label a codebook of 16 values (the means
 * of 16 equal-count bins of that label's weights), two codes per byte.
 */
export interface NibbleLogRegJSON {
  labels: string[];
  nFeatures: number;
  bias: number[];
  /**
   * `data`: base64 of the codes, two per byte (low nibble first). Layout 'label-major' (written since
   * 2026-11-25, session 2): code of (feature f, label l) at l·nFeatures + f, so loading needs no
   * transposition; absent: feature-major, at f·labels + l (older files).
   */
  weights: { kind: 'nibble'; codebook: number[][]; data: string; layout?: 'label-major' };
}

export function toNibbles(m: MultiLabelLogReg): NibbleLogRegJSON {
  const L = m.labels.length;
  const F = m.nFeatures;
  const codebook: number[][] = [];
  const codes = new Uint8Array(F * L);
  const col = new Float32Array(F);
  for (let l = 0; l < L; l++) {
    for (let f = 0; f < F; f++) col[f] = m.w[f * L + l];
    const sorted = Float32Array.from(col).sort();
    const book: number[] = [];
    for (let k = 0; k < 16; k++) {
      const a = Math.floor((k * F) / 16);
      const b = Math.max(a + 1, Math.floor(((k + 1) * F) / 16));
      let s = 0;
      for (let i = a; i < b && i < F; i++) s += sorted[i];
      book.push(F ? s / Math.max(1, Math.min(b, F) - a) : 0);
    }
    codebook.push(book);
    const mids = book.slice(1).map((v, k) => (book[k] + v) / 2);
    for (let f = 0; f < F; f++) {
      const v = col[f];
      let c = 0;
      while (c < 15 && v > mids[c]) c++;
      codes[l * F + f] = c;
    }
  }
  const packed = new Uint8Array(Math.ceil(codes.length / 2));
  for (let i = 0; i < codes.length; i++) packed[i >> 1] |= i & 1 ? codes[i] << 4 : codes[i];
  return { labels: m.labels, nFeatures: F, bias: [...m.b], weights: { kind: 'nibble', codebook, data: Buffer.from(packed).toString('base64'), layout: 'label-major' } };
}

/** The codes of a nibble file as one byte each, label-major (code of (f, l) at l·nFeatures + f), either layout. */
function unpackCodes(j: NibbleLogRegJSON): Uint8Array {
  const L = j.labels.length;
  const F = j.nFeatures;
  const packed = Buffer.from(j.weights.data, 'base64');
  const codes = new Uint8Array(F * L);
  if (j.weights.layout === 'label-major') {
    const half = codes.length >> 1;
    for (let i = 0; i < half; i++) {
      const b = packed[i];
      codes[2 * i] = b & 15;
      codes[2 * i + 1] = b >> 4;
    }
    if (codes.length & 1) codes[codes.length - 1] = packed[half] & 15;
    return codes;
  }
  for (let f = 0, i = 0; f < F; f++) {
    for (let l = 0; l < L; l++, i++) codes[l * F + f] = i & 1 ? packed[i >> 1] >> 4 : packed[i >> 1] & 15;
  }
  return codes;
}

export function fromNibbles(j: NibbleLogRegJSON): MultiLabelLogReg {
  return CodedWeights.fromNibbles(j).toLogReg(j.labels);
}

/**
 * The nibble classifier's weights as one code byte per weight, label-major (each label's codes are one
 * contiguous row), plus the per-label codebooks rounded to float32 as fromNibbles stores them. A label's
 * score is the same sum in the same order as MultiLabelLogReg.decision, so the numbers are identical; but
 * one label can be scored alone (decoding reads only a few of the 119), over a 40 kB row instead of
 * MultiLabelLogReg's ~19 MB feature-major Float32Array.
 */
export class CodedWeights {
  constructor(
    readonly L: number,
    readonly nFeatures: number,
    /** Code of weight (feature f, label l) at l·nFeatures + f. */
    readonly codes: Uint8Array,
    /** Codebook value of (label l, code c) at l·16 + c. */
    readonly book: Float64Array,
    readonly bias: Float64Array,
  ) {}

  static fromNibbles(j: NibbleLogRegJSON): CodedWeights {
    const L = j.labels.length;
    const F = j.nFeatures;
    const codes = unpackCodes(j);
    const book = new Float64Array(L * 16);
    for (let l = 0; l < L; l++) for (let c = 0; c < 16; c++) book[l * 16 + c] = Math.fround(j.weights.codebook[l][c]);
    return new CodedWeights(L, F, codes, book, Float64Array.from(j.bias));
  }

  /** The float classifier these codes stand for (feature-major float32 weights, as MultiLabelLogReg keeps them). */
  toLogReg(labels: string[]): MultiLabelLogReg {
    const L = this.L;
    const F = this.nFeatures;
    const w = new Float32Array(F * L);
    for (let l = 0; l < L; l++) {
      const row = l * F;
      const off = l << 4;
      for (let f = 0; f < F; f++) w[f * L + l] = this.book[off | this.codes[row + f]];
    }
    return new MultiLabelLogReg(labels, F, w, Float64Array.from(this.bias));
  }

  /** start + Σ weight(f, l) · value over the row's features (f < nFeatures), in row order. */
  dot(row: SparseVec, l: number, start = 0): number {
    const { idx, val } = row;
    const F = this.nFeatures;
    const codes = this.codes;
    const book = this.book;
    const base = l * F;
    const off = l << 4;
    let s = start;
    for (let k = 0; k < idx.length; k++) {
      const f = idx[k];
      if (f >= F) continue;
      s += book[off | codes[base + f]] * val[k];
    }
    return s;
  }

  /** MultiLabelLogReg.proba of one label: bias first, then the features in row order. */
  probaOf(row: SparseVec, l: number): number {
    return 1 / (1 + Math.exp(-this.dot(row, l, this.bias[l])));
  }

  /** MultiLabelLogReg.proba, every label. */
  proba(row: SparseVec): Float64Array {
    const out = new Float64Array(this.L);
    for (let l = 0; l < this.L; l++) out[l] = this.probaOf(row, l);
    return out;
  }

  /** Probabilities computed on first read, label by label. */
  lazy(row: SparseVec): (l: number) => number {
    const memo = new Float64Array(this.L).fill(NaN);
    return (l) => {
      let p = memo[l];
      if (Number.isNaN(p)) memo[l] = p = this.probaOf(row, l);
      return p;
    };
  }

  /** NarrativeModel.support's sum: the passage's features against label l's weights (NaN past the last feature, as there). */
  support(passage: SparseVec, l: number): number {
    for (let k = 0; k < passage.idx.length; k++) if (passage.idx[k] >= this.nFeatures) return NaN;
    return this.dot(passage, l);
  }
}

export interface NarrativeModelJSON {
  /** Feature blocks (e.g. word n-grams, character n-grams), each L2-normalised, concatenated and scaled by 1/√blocks. */
  vectorizers: VectorizerJSON[];
  /** What each block reads (absent or shorter: the text). */
  inputs?: BlockInput[];
  /** Per-language stackers over the classifier's probabilities (stack.ts); absent: none. */
  stackers?: StackerJSON[];
  classifier: LogRegJSON | NibbleLogRegJSON;
  /** Per upper-case language code, plus `default`. */
  thresholds: Record<string, Thresholds>;
}

export interface LabelScore {
  label: string;
  p: number;
}

export interface DecodedNarrative extends LabelScore {
  domain: Domain;
  subnarratives: LabelScore[];
}

export interface Decoded {
  other: boolean;
  /** p(Other), also when not chosen. */
  pOther: number;
  /** Expected-F1 decoding: the score compared with tOther (see decodeExpectedF1). */
  gate?: number;
  narratives: DecodedNarrative[];
}

/** Row index of each label in the classifier output. */
export class LabelIndex {
  readonly index: Map<string, number>;
  constructor(labels: readonly string[]) {
    this.index = new Map(labels.map((l, i) => [l, i]));
  }
  get(label: string): number {
    const i = this.index.get(label);
    if (i === undefined) throw new Error(`label not in model: ${label}`);
    return i;
  }
}

/** Hierarchical decoding of one document's probabilities (see the file header). */
export function decode(probs: ArrayLike<number> | ((i: number) => number), ix: LabelIndex, t: Thresholds, extra?: ExtraOf): Decoded {
  // a function reads probabilities on demand (NarrativeModel.predict computes only the labels read here)
  const p = typeof probs === 'function' ? probs : (i: number) => probs[i];
  if (t.ef1) return decodeExpectedF1(p, ix, t.tOther, t.ef1, extra);
  const pOther = p(ix.get(OTHER));
  if (pOther >= t.tOther) return { other: true, pOther, narratives: [] };
  const domain: Domain = p(ix.get('domain:URW')) >= p(ix.get('domain:CC')) ? 'URW' : 'CC';
  const cands = NARRATIVES.filter((n) => n.domain === domain).map((n) => ({ def: n, p: p(ix.get(n.label)) }));
  let chosen = cands.filter((c) => c.p >= t.tNarr);
  if (!chosen.length) chosen = [cands.reduce((a, b) => (b.p > a.p ? b : a))];
  chosen.sort((a, b) => b.p - a.p);
  const narratives = chosen.map(({ def, p: pn }) => {
    const subs = def.subnarratives.map((s) => ({ label: s, p: p(ix.get(s)) }));
    let pick = subs.filter((s) => s.p >= t.tSub);
    if (!pick.length) pick = [subs.reduce((a, b) => (b.p > a.p ? b : a))];
    pick.sort((a, b) => b.p - a.p);
    return { label: def.label, p: pn, domain, subnarratives: pick };
  });
  return { other: false, pOther, narratives };
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

/**
 * The top-k prefix of `items` (sorted by q, descending) maximising the plug-in expected F1
 * 2 Σ_top-k q / (k + mass · Σ q) (at least one item), and that value.
 */
export function expectedF1Prefix(qs: readonly number[], mass: number): { k: number; value: number } {
  let tot = 0;
  for (const q of qs) tot += q;
  let k = 1, value = -1, acc = 0;
  qs.forEach((q, j) => {
    acc += q;
    const v = (2 * acc) / (j + 1 + mass * tot);
    if (v > value) {
      value = v;
      k = j + 1;
    }
  });
  return { k, value };
}

/**
 * Expected-F1 decoding: narratives of the domain by calibrated probability q, the top-k set maximising
 * the plug-in expected F1; their subnarratives likewise by q(parent) · q(sub), each chosen narrative
 * keeping at least its best subnarrative; then `Other` when
 * q(Other) / (q(Other) + (1 − q(Other)) · E) ≥ tOther, E the mean of the two sets' expected F1, so a
 * document whose narratives are clear needs a higher q(Other) to be called `Other`.
 */
export function decodeExpectedF1(p: (i: number) => number, ix: LabelIndex, tOther: number, c: Ef1Params, extra?: ExtraOf): Decoded {
  const pOther = p(ix.get(OTHER));
  const domain: Domain = p(ix.get('domain:URW')) >= p(ix.get('domain:CC')) ? 'URW' : 'CC';
  const defs = NARRATIVES.filter((n) => n.domain === domain);
  const cands = defs.map((def) => ({ def, p: p(ix.get(def.label)), q: 0 }));
  const cx = c.x;
  if (cx && !extra) throw new Error('this decoding reads sentence features: pass them (NarrativeModel.predict does)');
  const calib = (l: number, pl: number, level: 'narr' | 'sub'): number => {
    if (!cx) return sigmoid(c[level][0] * logit(pl) + c[level][1]);
    const e = extra!(l);
    return predictDenseLR(xFromJSON(cx[level]), [logit(pl), ...cx.features.map((f) => e[EXTRA_FEATURES.indexOf(f)])]);
  };
  for (const x of cands) x.q = calib(ix.get(x.def.label), x.p, 'narr');
  cands.sort((a, b) => b.q - a.q);
  const n = expectedF1Prefix(cands.map((x) => x.q), c.mass);
  const chosen = cands.slice(0, n.k);
  const subs = cands.flatMap((x, j) =>
    x.def.subnarratives.map((label) => {
      const l = ix.get(label);
      const ps = p(l);
      return { label, p: ps, q: x.q * calib(l, ps, 'sub'), parent: j };
    }),
  );
  // Σ q over every subnarrative of the domain estimates the gold count; candidates are the chosen narratives'
  let tot = 0;
  for (const x of subs) tot += x.q;
  const subCands = subs.filter((x) => x.parent < n.k).sort((a, b) => b.q - a.q);
  const sq = subCands.map((x) => x.q);
  let best = { k: 1, value: -1 };
  let acc = 0;
  sq.forEach((q, j) => {
    acc += q;
    const v = (2 * acc) / (j + 1 + c.mass * tot);
    if (v > best.value) best = { k: j + 1, value: v };
  });
  const qO = sigmoid(c.other[0] * logit(pOther) + c.other[1]);
  const e = (n.value + Math.max(0, best.value)) / 2;
  const gate = qO / (qO + (1 - qO) * e);
  if (gate >= tOther) return { other: true, pOther, gate, narratives: [] };
  const picked = new Set(c.subOne ? [] : c.subThreshold === undefined ? subCands.slice(0, best.k) : subCands.filter((x) => x.p >= c.subThreshold!));
  const narratives = chosen.map(({ def, p: pn }, j) => {
    let mine = subCands.filter((x) => x.parent === j && picked.has(x));
    if (!mine.length) mine = [subs.filter((x) => x.parent === j).reduce((a, b) => (b.p > a.p ? b : a))];
    mine.sort((a, b) => b.p - a.p);
    return { label: def.label, p: pn, domain, subnarratives: mine.map((x) => ({ label: x.label, p: x.p })) };
  });
  narratives.sort((a, b) => b.p - a.p);
  return { other: false, pOther, gate, narratives };
}

const xCache = new WeakMap<DenseLRJSON, { w: Float64Array; mean: Float64Array; scale: Float64Array }>();
function xFromJSON(j: DenseLRJSON): { w: Float64Array; mean: Float64Array; scale: Float64Array } {
  let m = xCache.get(j);
  if (!m) xCache.set(j, (m = { w: Float64Array.from(j.w), mean: Float64Array.from(j.mean), scale: Float64Array.from(j.scale) }));
  return m;
}

/** The official ST2 row for a decoded document. */
export function toRow(docId: string, d: Decoded): { docId: string; narratives: string[]; subnarratives: string[] } {
  if (d.other) return { docId, narratives: [OTHER], subnarratives: [OTHER] };
  return { docId, narratives: d.narratives.map((n) => n.label), subnarratives: d.narratives.flatMap((n) => n.subnarratives.map((s) => s.label)) };
}

export class NarrativeModel {
  readonly ix: LabelIndex;
  readonly labels: string[];
  private clf: MultiLabelLogReg | null;
  /**
   * `classifier` may be null when `coded` is given (a model read from its file): the float weights are then
   * built from the codes only if something asks for them (`classifier`), which scoring never does.
   */
  constructor(
    readonly vectorizers: HashedTfidf[],
    classifier: MultiLabelLogReg | null,
    readonly thresholds: Record<string, Thresholds>,
    /** The classifier's weights in coded form when it was loaded from nibbles (faster scoring, same numbers). */
    readonly coded: CodedWeights | null = null,
    labels?: string[],
    /** What each feature block reads (missing entries: the text). */
    readonly inputs: BlockInput[] = [],
  ) {
    if (!classifier && !(coded && labels)) throw new Error('NarrativeModel needs a classifier, or coded weights and labels');
    this.clf = classifier;
    this.labels = classifier ? classifier.labels : labels!;
    this.ix = new LabelIndex(this.labels);
  }

  /** The float classifier (built from the codes on first use when the model was read from a nibble file). */
  get classifier(): MultiLabelLogReg {
    return (this.clf ??= this.coded!.toLogReg(this.labels));
  }

  /** Stackers by upper-case language code (stack.ts): they re-estimate that language's probabilities. */
  readonly stackers = new Map<string, Stacker>();
  private stackLabelsCache: StackLabels | null = null;

  /** Where the stacker's label groups sit, with the labels' word-vector name vectors. */
  stackLabels(): StackLabels {
    return (this.stackLabelsCache ??= stackLabelsOf(this.ix, this.labels));
  }

  stackerFor(lang: string | undefined): Stacker | undefined {
    return lang ? this.stackers.get(lang.toUpperCase()) : undefined;
  }

  thresholdsFor(lang: string): Thresholds {
    return this.thresholds[lang.toUpperCase()] ?? this.thresholds.default ?? DEFAULT_THRESHOLDS;
  }

  features(text: string): SparseVec {
    return blockFeatures(this.vectorizers, text, this.inputs);
  }

  /** Every label's probability; with `lang`, re-estimated by that language's stacker when there is one. */
  proba(text: string, lang?: string): Float64Array {
    const row = this.features(text);
    const p = this.coded ? this.coded.proba(row) : this.classifier.proba(row);
    const st = this.stackerFor(lang);
    if (!st) return p;
    const L = this.stackLabels();
    return st.apply(p, stackDoc(loadWordVectors(), text, L.vectors), L);
  }

  /**
   * `sentences`: the text's sentences when the caller has them (else the segmenter's); read only when the
   * language's decoding calibrates on sentence evidence (Ef1Params.x).
   */
  predict(text: string, lang: string, sentences?: readonly string[]): Decoded {
    const t = this.thresholdsFor(lang);
    const extra = t.ef1?.x ? this.sentenceEvidence(sentences ?? sentencesOf(text)) : undefined;
    if (this.stackerFor(lang)) return decode(this.proba(text, lang), this.ix, t, extra);
    if (this.coded) return decode(this.coded.lazy(this.features(text)), this.ix, t, extra);
    return decode(this.proba(text), this.ix, t, extra);
  }

  /** Label l's logit for a feature row (bias included). */
  logitOf(row: SparseVec, l: number): number {
    if (this.coded) return this.coded.dot(row, l, this.coded.bias[l]);
    const L = this.labels.length;
    const w = this.classifier.w;
    let s = this.classifier.b[l];
    for (let k = 0; k < row.idx.length; k++) s += w[row.idx[k] * L + l] * row.val[k];
    return s;
  }

  /**
   * Sentence evidence per label (EXTRA_FEATURES: the largest sentence logit and the mean of the three
   * largest), each sentence scored alone as if it were a document; computed per label on first read.
   */
  sentenceEvidence(sentences: readonly string[]): ExtraOf {
    const rows = sentences.map((s) => this.features(s));
    const memo = new Map<number, [number, number]>();
    return (l) => {
      let v = memo.get(l);
      if (!v) memo.set(l, (v = maxTop3(rows.map((r) => this.logitOf(r, l)))));
      return v;
    };
  }

  /**
   * How much a passage on its own pushes towards `label`: the passage's
   * feature vector dotted with the label's weights (bias left out), so
   * passages can be ranked as evidence for a document-level label.
   */
  support(passage: SparseVec, label: string): number {
    const l = this.ix.get(label);
    if (this.coded) return this.coded.support(passage, l);
    const L = this.labels.length;
    const w = this.classifier.w;
    let s = 0;
    for (let k = 0; k < passage.idx.length; k++) s += w[passage.idx[k] * L + l] * passage.val[k];
    return s;
  }

  toJSON(): NarrativeModelJSON {
    const inputs = this.inputs.some((b) => b.kind !== 'text') ? { inputs: this.inputs } : {};
    const stackers = this.stackers.size ? { stackers: [...this.stackers.values()].map((s) => s.json) } : {};
    return { vectorizers: this.vectorizers.map((v) => v.toJSON()), ...inputs, classifier: toNibbles(this.classifier), thresholds: this.thresholds, ...stackers };
  }

  static fromJSON(j: NarrativeModelJSON): NarrativeModel {
    const c = j.classifier;
    const nibbles = c.weights.kind === 'nibble';
    const vecs = j.vectorizers.map((v) => HashedTfidf.fromJSON(v));
    const m = nibbles
      ? new NarrativeModel(vecs, null, j.thresholds, CodedWeights.fromNibbles(c as NibbleLogRegJSON), c.labels, j.inputs ?? [])
      : new NarrativeModel(vecs, MultiLabelLogReg.fromJSON(c as LogRegJSON), j.thresholds, null, undefined, j.inputs ?? []);
    for (const s of j.stackers ?? []) m.stackers.set(s.lang, new Stacker(s));
    return m;
  }
}

/** The stacker's label groups in a model's label order. */
export function stackLabelsOf(ix: LabelIndex, labels: readonly string[]): StackLabels {
  return {
    narratives: NARRATIVES.map((n) => ix.get(n.label)),
    subnarratives: NARRATIVES.flatMap((n) => n.subnarratives.map((s) => ix.get(s))),
    other: ix.get(OTHER),
    urw: ix.get('domain:URW'),
    cc: ix.get('domain:CC'),
    vectors: labelVectors(loadWordVectors(), labels),
  };
}

/** Total column count of feature blocks. */
export function blockSize(vs: HashedTfidf[]): number {
  return vs.reduce((a, v) => a + v.size, 0);
}

/** The text a block of this input reads (cluster blocks: the cluster tokens joined by spaces). */
export function blockText(input: BlockInput | undefined, text: string, tokens: string[] = wordTokens(text)): string {
  if (input?.kind === 'lede') return ledeText(text, input.sentences);
  return input && input.kind === 'clusters' ? clusterTokens(tokens, input.level).join(' ') : text;
}

/** Concatenation of the blocks' (L2-normalised) vectors, scaled so the whole has norm 1. */
export function blockFeatures(vs: HashedTfidf[], text: string, inputs: readonly BlockInput[] = []): SparseVec {
  const tokens = wordTokens(text);
  let out: SparseVec = { idx: new Int32Array(0), val: new Float32Array(0) };
  let offset = 0;
  let reweighted = false;
  for (let b = 0; b < vs.length; b++) {
    const v = vs[b];
    const input = inputs[b];
    if (input && (input.kind === 'clusters' || input.kind === 'lede')) {
      let row: SparseVec;
      if (input.kind === 'clusters') {
        const ct = clusterTokens(tokens, input.level);
        row = v.transform(ct.join(' '), ct);
      } else row = v.transform(ledeText(text, input.sentences));
      const w = input.weight ?? 1;
      if (w !== 1) for (let i = 0; i < row.val.length; i++) row.val[i] *= w;
      out = concat(out, row, offset);
      reweighted = true;
    } else out = concat(out, v.transform(text, tokens), offset);
    offset += v.size;
  }
  if (reweighted) {
    // a text without known words has an empty cluster block (a short text, an empty lede): unit length over what is there
    let n = 0;
    for (let i = 0; i < out.val.length; i++) n += out.val[i] * out.val[i];
    const s = n > 0 ? 1 / Math.sqrt(n) : 1;
    for (let i = 0; i < out.val.length; i++) out.val[i] *= s;
    return out;
  }
  if (vs.length > 1) {
    const s = 1 / Math.sqrt(vs.length);
    for (let i = 0; i < out.val.length; i++) out.val[i] *= s;
  }
  return out;
}
