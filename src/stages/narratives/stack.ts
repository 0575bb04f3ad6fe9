/**
 * Word-vector features for the narrative model (English): a document's and
 * its sentences' smooth-inverse-frequency weighted mean word vectors, the
 * taxonomy's label names as vectors, and their cosines; plus a small dense
 * logistic regression (Newton / IRLS, L2) used to stack these features on top
 * of the TF-IDF model's probabilities. Pure: vectors come from the caller.
 */
import { wordTokens } from '../../ml/index.ts';
import { cosine, unitLength as unit } from '../../models/embeddings/index.ts';
import { NARRATIVES } from '../../corpora/semeval2025/taxonomy.ts';

export { cosine, unit };

/** What the stacker needs from a word-vector table (the shape of src/models/embeddings). */
export interface VectorTable {
  dim: number;
  /** -1 when unknown; ids are frequency ranks (0 = most frequent). */
  id(word: string): number;
  vector(id: number, out?: Float32Array): Float32Array;
}

/** SIF weight a / (a + p(w)) with p(w) from a Zipf estimate of the word's frequency rank. */
export function sifWeight(rank: number, a = 1e-3): number {
  const p = 0.1 / (rank + 1);
  return a / (a + p);
}

function tokenId(wv: VectorTable, tok: string): number {
  let id = wv.id(tok);
  if (id < 0) {
    const q = tok.indexOf("'");
    if (q > 0) id = wv.id(tok.slice(0, q));
  }
  return id;
}

/** Weighted mean of the tokens' vectors, unit length; null when no token is known. */
export function meanVector(wv: VectorTable, tokens: string[], scratch = new Float32Array(wv.dim)): Float32Array | null {
  const out = new Float32Array(wv.dim);
  let any = false;
  for (const t of tokens) {
    const id = tokenId(wv, t);
    if (id < 0) continue;
    const w = sifWeight(id);
    const v = wv.vector(id, scratch);
    for (let d = 0; d < wv.dim; d++) out[d] += w * v[d];
    any = true;
  }
  if (!any) return null;
  return unit(out);
}

/** Sentences for the vector features: split after . ! ? and at line breaks. */
export function roughSentences(text: string): string[] {
  return text.split(/(?<=[.!?])\s+|\n+/).filter((s) => /\p{L}/u.test(s));
}

/**
 * One vector per model label: a narrative is its name plus half the mean of
 * its subnarratives' names; a subnarrative is its name plus half its
 * narrative's name ("X: Other" is the narrative's vector). Labels without a
 * name (Other, domains) get null.
 */
export function labelVectors(wv: VectorTable, labels: readonly string[]): (Float32Array | null)[] {
  const nameVec = (s: string) => meanVector(wv, wordTokens(s));
  const byLabel = new Map<string, Float32Array | null>();
  for (const n of NARRATIVES) {
    const nv = nameVec(n.name);
    const subs = n.subnarratives.filter((s) => !s.endsWith(': Other'));
    const sv = subs.map((s) => nameVec(s.slice(n.label.length + 2)));
    const nar = new Float32Array(wv.dim);
    if (nv) nar.set(nv);
    const known = sv.filter((v): v is Float32Array => !!v);
    for (const v of known) for (let d = 0; d < wv.dim; d++) nar[d] += (0.5 * v[d]) / known.length;
    byLabel.set(n.label, unit(nar));
    n.subnarratives.forEach((s) => {
      if (s.endsWith(': Other')) return byLabel.set(s, byLabel.get(n.label)!);
      const v = sv[subs.indexOf(s)];
      const out = new Float32Array(wv.dim);
      if (v) out.set(v);
      if (nv) for (let d = 0; d < wv.dim; d++) out[d] += 0.5 * nv[d];
      byLabel.set(s, unit(out));
    });
  }
  return labels.map((l) => byLabel.get(l) ?? null);
}

export interface DocVectors {
  doc: Float32Array;
  sentences: Float32Array[];
}

export function docVectors(wv: VectorTable, text: string): DocVectors {
  const scratch = new Float32Array(wv.dim);
  const sentences = roughSentences(text)
    .map((s) => meanVector(wv, wordTokens(s), scratch))
    .filter((v): v is Float32Array => !!v);
  const doc = meanVector(wv, wordTokens(text), scratch) ?? new Float32Array(wv.dim);
  return { doc, sentences };
}

/** Per label: [best sentence cosine, mean of the best 3, document cosine] (zeros for labels without a vector). */
export function labelSims(dv: DocVectors, lv: (Float32Array | null)[]): Float64Array[] {
  return lv.map((v) => {
    const out = new Float64Array(3);
    if (!v) return out;
    const cs = dv.sentences.map((s) => cosine(s, v)).sort((a, b) => b - a);
    out[0] = cs.length ? cs[0] : 0;
    const top = cs.slice(0, 3);
    out[1] = top.length ? top.reduce((a, b) => a + b, 0) / top.length : 0;
    out[2] = cosine(dv.doc, v);
    return out;
  });
}

export function logit(p: number): number {
  const q = Math.min(1 - 1e-6, Math.max(1e-6, p));
  return Math.log(q / (1 - q));
}

/** Dense L2 logistic regression (bias = last weight, not penalised), fitted by Newton steps. */
export interface DenseLR {
  w: Float64Array;
  /** Per-feature centre and scale applied before the weights. */
  mean: Float64Array;
  scale: Float64Array;
}

export function fitDenseLR(X: Float64Array[], y: number[], sw: number[] | null, l2: number, iters = 25): DenseLR {
  const n = X.length;
  const F = X[0]?.length ?? 0;
  const mean = new Float64Array(F);
  const scale = new Float64Array(F).fill(1);
  for (const x of X) for (let j = 0; j < F; j++) mean[j] += x[j] / n;
  const v2 = new Float64Array(F);
  for (const x of X) for (let j = 0; j < F; j++) v2[j] += (x[j] - mean[j]) ** 2 / n;
  for (let j = 0; j < F; j++) scale[j] = Math.sqrt(v2[j]) > 1e-9 ? 1 / Math.sqrt(v2[j]) : 0;
  const D = F + 1;
  const Z = X.map((x) => {
    const z = new Float64Array(D);
    for (let j = 0; j < F; j++) z[j] = (x[j] - mean[j]) * scale[j];
    z[F] = 1;
    return z;
  });
  const w = new Float64Array(D);
  const H = new Float64Array(D * D);
  const g = new Float64Array(D);
  for (let it = 0; it < iters; it++) {
    H.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const z = Z[i];
      let s = 0;
      for (let j = 0; j < D; j++) s += w[j] * z[j];
      const p = 1 / (1 + Math.exp(-s));
      const c = sw ? sw[i] : 1;
      const r = c * (p - y[i]);
      const h = c * Math.max(p * (1 - p), 1e-9);
      for (let j = 0; j < D; j++) {
        if (z[j] === 0) continue;
        g[j] += r * z[j];
        const hz = h * z[j];
        for (let k = j; k < D; k++) H[j * D + k] += hz * z[k];
      }
    }
    for (let j = 0; j < F; j++) {
      g[j] += l2 * w[j];
      H[j * D + j] += l2;
    }
    H[F * D + F] += 1e-6;
    for (let j = 0; j < D; j++) for (let k = 0; k < j; k++) H[j * D + k] = H[k * D + j];
    const step = solveSpd(H, g, D);
    let m = 0;
    for (let j = 0; j < D; j++) {
      w[j] -= step[j];
      m = Math.max(m, Math.abs(step[j]));
    }
    if (m < 1e-6) break;
  }
  return { w, mean, scale };
}

export function predictDenseLR(m: DenseLR, x: ArrayLike<number>): number {
  const F = m.mean.length;
  let s = m.w[F];
  for (let j = 0; j < F; j++) s += m.w[j] * (x[j] - m.mean[j]) * m.scale[j];
  return 1 / (1 + Math.exp(-s));
}

/** Cholesky solve of a symmetric positive-definite system A x = b (A row-major D × D). */
function solveSpd(A: Float64Array, b: Float64Array, D: number): Float64Array {
  const L = new Float64Array(D * D);
  for (let i = 0; i < D; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * D + j];
      for (let k = 0; k < j; k++) s -= L[i * D + k] * L[j * D + k];
      if (i === j) L[i * D + i] = Math.sqrt(Math.max(s, 1e-12));
      else L[i * D + j] = s / L[j * D + j];
    }
  }
  const y = new Float64Array(D);
  for (let i = 0; i < D; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= L[i * D + k] * y[k];
    y[i] = s / L[i * D + i];
  }
  const x = new Float64Array(D);
  for (let i = D - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < D; k++) s -= L[k * D + i] * x[k];
    x[i] = s / L[i * D + i];
  }
  return x;
}

// ---------------------------------------------------------------------------------------------
// The stacker: English probabilities re-estimated from the TF-IDF model's probabilities plus
// word-vector features (see MODEL_CARD.md, "stacked on word vectors").

export interface DenseLRJSON {
  w: number[];
  mean: number[];
  scale: number[];
}

const lrToJSON = (m: DenseLR): DenseLRJSON => ({ w: [...m.w], mean: [...m.mean], scale: [...m.scale] });
const lrFromJSON = (j: DenseLRJSON): DenseLR => ({ w: Float64Array.from(j.w), mean: Float64Array.from(j.mean), scale: Float64Array.from(j.scale) });

export interface StackerJSON {
  /** Language the stacker applies to (upper case). */
  lang: string;
  /** Neighbours read for the kNN label shares, and the softmax temperature over their cosines. */
  knn: number;
  tau: number;
  /** Mean training document vector (subtracted before the cosine). */
  centre: number[];
  /** Training documents' centred unit document vectors, float32, base64 (n × dim). */
  vectors: string;
  /** Per training document: its target label indices (model label order). */
  targets: number[][];
  narr: DenseLRJSON;
  sub: DenseLRJSON;
  gate: DenseLRJSON;
}

/** Where the stacker's label groups sit in the model's label order. */
export interface StackLabels {
  narratives: number[];
  subnarratives: number[];
  other: number;
  urw: number;
  cc: number;
  /** One vector per model label (labelVectors). */
  vectors: (Float32Array | null)[];
}

/** Per-document inputs of the stacker. */
export interface StackDoc {
  sims: Float64Array[];
  doc: Float32Array;
}

export function stackDoc(wv: VectorTable, text: string, lv: (Float32Array | null)[]): StackDoc {
  const dv = docVectors(wv, text);
  return { sims: labelSims(dv, lv), doc: dv.doc };
}

/** Features of (document, label) for the shared narrative / subnarrative models. */
export function pairFeatures(p: ArrayLike<number>, d: StackDoc, l: number, group: readonly number[], knnShare: number): number[] {
  const z = logit(p[l]);
  const s = d.sims[l];
  let m = 0;
  for (const g of group) m += d.sims[g][0] / group.length;
  return [z, s[0], s[1], s[2], s[0] - m, z * s[0], knnShare];
}

/** Features of a document for the Other gate. */
export function gateFeatures(p: ArrayLike<number>, L: StackLabels, knnOther: number): number[] {
  let mx = 0;
  for (const l of L.narratives) mx = Math.max(mx, p[l]);
  return [logit(p[L.other]), logit(mx), logit(p[L.urw]), logit(p[L.cc]), knnOther];
}

function centred(v: Float32Array, centre: Float64Array): Float32Array {
  const c = new Float32Array(v.length);
  for (let k = 0; k < v.length; k++) c[k] = v[k] - centre[k];
  return unit(c);
}

/** Softmax-weighted label shares of the k nearest training documents (`skip`: a training document left out). */
function knnShares(q: Float32Array, train: Float32Array[], targets: number[][], nLabels: number, k: number, tau: number, skip = -1): Float64Array {
  const nb: { j: number; s: number }[] = [];
  for (let j = 0; j < train.length; j++) if (j !== skip) nb.push({ j, s: cosine(q, train[j]) });
  nb.sort((a, b) => b.s - a.s || a.j - b.j);
  const top = nb.slice(0, k);
  const out = new Float64Array(nLabels);
  let z = 0;
  for (const { j, s } of top) {
    const w = Math.exp((s - top[0].s) / tau);
    z += w;
    for (const l of targets[j]) out[l] += w;
  }
  if (z > 0) for (let l = 0; l < nLabels; l++) out[l] /= z;
  return out;
}

export interface StackOptions {
  knn: number;
  tau: number;
  /** L2 of the shared label models and of the gate. */
  l2: number;
  gateL2: number;
}

export const STACK_OPTIONS: StackOptions = { knn: 15, tau: 0.05, l2: 1, gateL2: 10 };

export class Stacker {
  private readonly narr: DenseLR;
  private readonly sub: DenseLR;
  private readonly gate: DenseLR;
  private readonly centre: Float64Array;
  private readonly train: Float32Array[];

  constructor(readonly json: StackerJSON) {
    this.narr = lrFromJSON(json.narr);
    this.sub = lrFromJSON(json.sub);
    this.gate = lrFromJSON(json.gate);
    this.centre = Float64Array.from(json.centre);
    const buf = Buffer.from(json.vectors, 'base64');
    const all = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const dim = json.centre.length;
    this.train = json.targets.map((_, i) => all.subarray(i * dim, (i + 1) * dim));
  }

  /**
   * Fits the stacker on training documents: `probs` must be out-of-fold probabilities of the TF-IDF
   * model (a model that never saw the document), `targets` each document's label indices.
   */
  static fit(lang: string, docs: StackDoc[], probs: ArrayLike<number>[], targets: number[][], L: StackLabels, o: StackOptions = STACK_OPTIONS): Stacker {
    const dim = docs[0]?.doc.length ?? 0;
    const n = docs.length;
    const centre = new Float64Array(dim);
    for (const d of docs) for (let k = 0; k < dim; k++) centre[k] += d.doc[k] / n;
    const train = docs.map((d) => centred(d.doc, centre));
    const nLabels = L.vectors.length;
    const knn = docs.map((_, i) => knnShares(train[i], train, targets, nLabels, o.knn, o.tau, i));
    const gold = targets.map((t) => new Set(t));
    const fitGroup = (group: number[]) => {
      const X: Float64Array[] = [];
      const y: number[] = [];
      for (let i = 0; i < n; i++) for (const l of group) {
        X.push(Float64Array.from(pairFeatures(probs[i], docs[i], l, group, knn[i][l])));
        y.push(gold[i].has(l) ? 1 : 0);
      }
      return fitDenseLR(X, y, null, o.l2);
    };
    const narr = fitGroup(L.narratives);
    const sub = fitGroup(L.subnarratives);
    const gate = fitDenseLR(docs.map((_, i) => Float64Array.from(gateFeatures(probs[i], L, knn[i][L.other]))), targets.map((t) => (t.includes(L.other) ? 1 : 0)), null, o.gateL2);
    const flat = new Float32Array(n * dim);
    train.forEach((v, i) => flat.set(v, i * dim));
    return new Stacker({
      lang, knn: o.knn, tau: o.tau, centre: [...centre],
      vectors: Buffer.from(flat.buffer, flat.byteOffset, flat.byteLength).toString('base64'),
      targets, narr: lrToJSON(narr), sub: lrToJSON(sub), gate: lrToJSON(gate),
    });
  }

  /** The document's probabilities with narratives, subnarratives and Other re-estimated (domains kept). */
  apply(probs: ArrayLike<number>, d: StackDoc, L: StackLabels): Float64Array {
    const out = Float64Array.from(probs as ArrayLike<number>);
    const share = knnShares(centred(d.doc, this.centre), this.train, this.json.targets, L.vectors.length, this.json.knn, this.json.tau);
    for (const l of L.narratives) out[l] = predictDenseLR(this.narr, pairFeatures(probs, d, l, L.narratives, share[l]));
    for (const l of L.subnarratives) out[l] = predictDenseLR(this.sub, pairFeatures(probs, d, l, L.subnarratives, share[l]));
    out[L.other] = predictDenseLR(this.gate, gateFeatures(probs, L, share[L.other]));
    return out;
  }
}
