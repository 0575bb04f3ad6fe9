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
  weights: { kind: 'nibble'; codebook: number[][]; data: string };
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
      codes[f * L + l] = c;
    }
  }
  const packed = new Uint8Array(Math.ceil(codes.length / 2));
  for (let i = 0; i < codes.length; i++) packed[i >> 1] |= i & 1 ? codes[i] << 4 : codes[i];
  return { labels: m.labels, nFeatures: F, bias: [...m.b], weights: { kind: 'nibble', codebook, data: Buffer.from(packed).toString('base64') } };
}

export function fromNibbles(j: NibbleLogRegJSON): MultiLabelLogReg {
  const L = j.labels.length;
  const packed = Buffer.from(j.weights.data, 'base64');
  const w = new Float32Array(j.nFeatures * L);
  for (let i = 0; i < w.length; i++) {
    const c = i & 1 ? packed[i >> 1] >> 4 : packed[i >> 1] & 15;
    w[i] = j.weights.codebook[i % L][c];
  }
  return new MultiLabelLogReg(j.labels, j.nFeatures, w, Float64Array.from(j.bias));
}

export interface NarrativeModelJSON {
  /** Feature blocks (e.g. word n-grams, character n-grams), each L2-normalised, concatenated and scaled by 1/√blocks. */
  vectorizers: VectorizerJSON[];
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
export function decode(p: ArrayLike<number>, ix: LabelIndex, t: Thresholds): Decoded {
  const pOther = p[ix.get(OTHER)];
  if (pOther >= t.tOther) return { other: true, pOther, narratives: [] };
  const domain: Domain = p[ix.get('domain:URW')] >= p[ix.get('domain:CC')] ? 'URW' : 'CC';
  const cands = NARRATIVES.filter((n) => n.domain === domain).map((n) => ({ def: n, p: p[ix.get(n.label)] }));
  let chosen = cands.filter((c) => c.p >= t.tNarr);
  if (!chosen.length) chosen = [cands.reduce((a, b) => (b.p > a.p ? b : a))];
  chosen.sort((a, b) => b.p - a.p);
  const narratives = chosen.map(({ def, p: pn }) => {
    const subs = def.subnarratives.map((s) => ({ label: s, p: p[ix.get(s)] }));
    let pick = subs.filter((s) => s.p >= t.tSub);
    if (!pick.length) pick = [subs.reduce((a, b) => (b.p > a.p ? b : a))];
    pick.sort((a, b) => b.p - a.p);
    return { label: def.label, p: pn, domain, subnarratives: pick };
  });
  return { other: false, pOther, narratives };
}

/** The official ST2 row for a decoded document. */
export function toRow(docId: string, d: Decoded): { docId: string; narratives: string[]; subnarratives: string[] } {
  if (d.other) return { docId, narratives: [OTHER], subnarratives: [OTHER] };
  return { docId, narratives: d.narratives.map((n) => n.label), subnarratives: d.narratives.flatMap((n) => n.subnarratives.map((s) => s.label)) };
}

export class NarrativeModel {
  readonly ix: LabelIndex;
  constructor(
    readonly vectorizers: HashedTfidf[],
    readonly classifier: MultiLabelLogReg,
    readonly thresholds: Record<string, Thresholds>,
  ) {
    this.ix = new LabelIndex(classifier.labels);
  }

  thresholdsFor(lang: string): Thresholds {
    return this.thresholds[lang.toUpperCase()] ?? this.thresholds.default ?? DEFAULT_THRESHOLDS;
  }

  features(text: string): SparseVec {
    return blockFeatures(this.vectorizers, text);
  }

  proba(text: string): Float64Array {
    return this.classifier.proba(this.features(text));
  }

  predict(text: string, lang: string): Decoded {
    return decode(this.proba(text), this.ix, this.thresholdsFor(lang));
  }

  /**
   * How much a passage on its own pushes towards `label`: the passage's
   * feature vector dotted with the label's weights (bias left out), so
   * passages can be ranked as evidence for a document-level label.
   */
  support(passage: SparseVec, label: string): number {
    const l = this.ix.get(label);
    const L = this.classifier.labels.length;
    const w = this.classifier.w;
    let s = 0;
    for (let k = 0; k < passage.idx.length; k++) s += w[passage.idx[k] * L + l] * passage.val[k];
    return s;
  }

  toJSON(): NarrativeModelJSON {
    return { vectorizers: this.vectorizers.map((v) => v.toJSON()), classifier: toNibbles(this.classifier), thresholds: this.thresholds };
  }

  static fromJSON(j: NarrativeModelJSON): NarrativeModel {
    const c = j.classifier;
    const clf = c.weights.kind === 'nibble' ? fromNibbles(c as NibbleLogRegJSON) : MultiLabelLogReg.fromJSON(c as LogRegJSON);
    return new NarrativeModel(j.vectorizers.map((v) => HashedTfidf.fromJSON(v)), clf, j.thresholds);
  }
}

/** Total column count of feature blocks. */
export function blockSize(vs: HashedTfidf[]): number {
  return vs.reduce((a, v) => a + v.size, 0);
}

/** Concatenation of the blocks' (L2-normalised) vectors, scaled so the whole has norm 1. */
export function blockFeatures(vs: HashedTfidf[], text: string): SparseVec {
  const tokens = wordTokens(text);
  let out: SparseVec = { idx: new Int32Array(0), val: new Float32Array(0) };
  let offset = 0;
  for (const v of vs) {
    out = concat(out, v.transform(text, tokens), offset);
    offset += v.size;
  }
  if (vs.length > 1) {
    const s = 1 / Math.sqrt(vs.length);
    for (let i = 0; i < out.val.length; i++) out.val[i] *= s;
  }
  return out;
}
