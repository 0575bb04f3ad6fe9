/**
 * Article-level parts of the roles model (issue #10, session 4): which side an
 * entity is on and which side the article takes, and which fine roles the
 * article as a whole hands out.
 *
 * - Entity side: the entity's bloc by a word list (data/blocs-en.tsv), × the
 *   article's domain; the article's side by cue words (data/stance-en.tsv), ×
 *   bloc; and the article's side by a small learned classifier (hashed words of
 *   the article, trained on the training articles whose gold roles of bloc
 *   entities say which side is the antagonist), × bloc. English mentions only;
 *   these are feature strings hashed with the mention's other features.
 * - Article fine roles: a one-vs-rest model of the set of fine roles of an
 *   article's mentions from the article's hashed words; its 22 probabilities
 *   minus their training shares become 22 dense columns of every mention of
 *   the article (every language).
 *
 * Both learned parts are trained by `unspin train roles` (train.ts, cross-fitted
 * for the training mentions) and stored in the model file; `experiment.ts`
 * names them bloc+stance+lstance and artfine1.
 */
import { readFileSync } from 'node:fs';
import { decodeInt32, encodeArray, MultiLabelLogReg, type LogRegJSON, type SparseVec, type TrainOptions } from '../../ml/index.ts';
import { articleForms, type DocTokens } from './features.ts';

function dataLines(file: string): string[][] {
  return readFileSync(new URL(`./data/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => l.split('\t').map((x) => x.trim()).filter(Boolean));
}

// ---- blocs ---------------------------------------------------------------------------------------
const BLOC_FORMS = new Map<string, string>();
for (const [bloc, ...forms] of dataLines('blocs-en.tsv')) for (const f of forms) if (!BLOC_FORMS.has(f)) BLOC_FORMS.set(f, bloc);

/** The bloc of a mention (data/blocs-en.tsv): the whole mention, else its first word that is a listed form; null when none. */
export function blocOf(mention: string): string | null {
  let m = mention.toLowerCase().replace(/\s+/g, ' ').trim().replace(/^the /, '').replace(/['’]s$/, '');
  const whole = BLOC_FORMS.get(m);
  if (whole) return whole;
  m = m.replace(/['’]s\b/g, '');
  for (const w of m.split(/[^\p{L}\p{N}.]+/u)) {
    const b = BLOC_FORMS.get(w) ?? BLOC_FORMS.get(w.replace(/\.$/, ''));
    if (b) return b;
  }
  return null;
}

// ---- the article's side by cue words ---------------------------------------------------------------
/** Every stem of data/stance-en.tsv with its side ('ru' or 'west'); "a_b" stems are two parts matched on adjacent tokens. */
const STEMS = dataLines('stance-en.tsv').flatMap(([side, ...stems]) => stems.map((s) => ({ ru: side === 'ru', west: side === 'west', parts: s.split('_') })));

/** Indices into STEMS of the stems whose first part starts `norm`. */
function firstParts(norm: string): readonly number[] {
  const out: number[] = [];
  STEMS.forEach((s, j) => norm.startsWith(s.parts[0]) && out.push(j));
  return out;
}

/** 'ru', 'west', 'mixed' or 'none': which side's way of naming the war dominates the article. */
export function cueStance(dt: DocTokens): string {
  const toks = dt.tokens;
  const forms = articleForms(dt);
  let ru = 0;
  let we = 0;
  for (let i = 0; i < toks.length; i++) {
    const f = forms[i];
    const first = f.stance ?? (f.stance = firstParts(toks[i].norm));
    for (const j of first) {
      const { parts } = STEMS[j];
      let k = 1;
      while (k < parts.length && toks[i + k]?.norm.startsWith(parts[k])) k++;
      if (k < parts.length) continue;
      if (STEMS[j].ru) ru++;
      if (STEMS[j].west) we++;
    }
  }
  if (ru + we === 0) return 'none';
  const s = (ru - we) / (ru + we + 1);
  return s > 0.2 ? 'ru' : s < -0.2 ? 'west' : 'mixed';
}

/** Labels of the learned article side: the article is against the Russian side / against the Western side. */
export const STANCE_LABELS = ['antiru', 'antiwest'];
/** The learned side commits when one probability exceeds the other by more than this, else 'unsure'. */
const STANCE_MARGIN = 0.2;
const STANCE_BITS = 16;
const ARTICLE_BITS = 18;

/**
 * Gold side of each article from its mentions' main roles: +1 per Antagonist
 * of the 'ru' bloc or Protagonist of the 'west' bloc, −1 the other way round;
 * 'antiru' / 'antiwest' by the sign, 'none' at 0. Articles without a bloc
 * mention are absent.
 */
export function goldStance(mentions: { doc: string; mention: string; main: string }[]): Map<string, string> {
  const s = new Map<string, number>();
  for (const m of mentions) {
    const b = blocOf(m.mention);
    if (b !== 'ru' && b !== 'west') continue;
    const sign = m.main === 'Antagonist' ? 1 : m.main === 'Protagonist' ? -1 : 0;
    s.set(m.doc, (s.get(m.doc) ?? 0) + (b === 'ru' ? sign : -sign));
  }
  return new Map([...s].map(([d, v]) => [d, v > 0 ? 'antiru' : v < 0 ? 'antiwest' : 'none']));
}

/** FNV-1a hashes of the article's word features (`w=` + lower-cased form of each token with a letter or digit), in text order. */
export function articleWordHashes(dt: DocTokens): Int32Array {
  const forms = articleForms(dt);
  const out = new Int32Array(forms.length);
  let n = 0;
  for (const f of forms) if (f.isWord) out[n++] = f.hW;
  return out.subarray(0, n);
}

/** Per-bucket counts, one scratch array per bucket count (zero between calls). */
const scratch = new Map<number, Uint32Array>();

/**
 * The article's word features hashed into 2^bits buckets, 1 + log count,
 * L2-normalised: hashNumbers (features.ts) of the `w=` hashes, the same
 * numbers to the bit (the same float32 values, the norm summed in ascending
 * bucket order), counting in a scratch array and sorting only the distinct
 * buckets (an article has a few hundred distinct words among a thousand tokens).
 */
export function articleWords(dt: DocTokens, bits: number, hashes: ArrayLike<number> = articleWordHashes(dt)): SparseVec {
  let count = scratch.get(bits);
  if (!count) scratch.set(bits, (count = new Uint32Array(2 ** bits)));
  const mask = (1 << bits) - 1;
  const distinct: number[] = [];
  for (let i = 0; i < hashes.length; i++) {
    const b = hashes[i] & mask;
    if (count[b]++ === 0) distinct.push(b);
  }
  const idx = Int32Array.from(distinct).sort();
  const val = new Float32Array(idx.length);
  let ss = 0;
  for (let k = 0; k < idx.length; k++) {
    val[k] = 1 + Math.log(count[idx[k]]);
    count[idx[k]] = 0;
    ss += val[k] * val[k];
  }
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let k = 0; k < val.length; k++) val[k] *= inv;
  return { idx, val };
}

const blocCache = new Map<string, string | null>();
/** blocOf, remembered per mention string (bounded). */
function blocOfCached(mention: string): string | null {
  let b = blocCache.get(mention);
  if (b === undefined) {
    if (blocCache.size >= 50_000) blocCache.clear();
    blocCache.set(mention, (b = blocOf(mention)));
  }
  return b;
}

export interface ArticleModelJSON {
  bits: number;
  /** Buckets seen in training, ascending; column i is buckets[i]. */
  buckets: string;
  classifier: LogRegJSON;
}

/**
 * A one-vs-rest classifier of whole articles over their hashed words. Only the
 * buckets seen in training get columns (the others have zero weight anyway);
 * values keep their normalisation over all the article's buckets, so the
 * scores are those of the uncompacted model.
 */
export class ArticleModel {
  /** bucket → column + 1 (0: not seen in training). */
  private readonly colOf: Int32Array;
  constructor(readonly bits: number, readonly buckets: Int32Array, readonly classifier: MultiLabelLogReg) {
    this.colOf = columnsOf(buckets, bits);
  }

  static train(docs: DocTokens[], y: number[][], labels: string[], bits: number, opts: TrainOptions): ArticleModel {
    const raw = docs.map((d) => articleWords(d, bits));
    const seen = new Set<number>();
    for (const r of raw) for (const b of r.idx) seen.add(b);
    const buckets = Int32Array.from([...seen].sort((a, b) => a - b));
    const colOf = columnsOf(buckets, bits);
    const rows = raw.map((r) => project(r, colOf));
    return new ArticleModel(bits, buckets, MultiLabelLogReg.train(rows, y, labels, buckets.length, opts));
  }

  /** `hashes`: articleWordHashes(dt), when the caller has them already. */
  proba(dt: DocTokens, hashes?: ArrayLike<number>): Float64Array {
    return this.classifier.proba(project(articleWords(dt, this.bits, hashes), this.colOf));
  }

  toJSON(quantize: boolean): ArticleModelJSON {
    return { bits: this.bits, buckets: encodeArray(this.buckets), classifier: this.classifier.toJSON(quantize) };
  }

  static fromJSON(j: ArticleModelJSON): ArticleModel {
    return new ArticleModel(j.bits, decodeInt32(j.buckets), MultiLabelLogReg.fromJSON(j.classifier));
  }
}

function columnsOf(buckets: Int32Array, bits: number): Int32Array {
  const colOf = new Int32Array(2 ** bits);
  buckets.forEach((b, i) => (colOf[b] = i + 1));
  return colOf;
}

/** Buckets → columns (ascending buckets give ascending columns), unseen buckets dropped, values unchanged. */
function project(v: SparseVec, colOf: Int32Array): SparseVec {
  const idx = new Int32Array(v.idx.length);
  const val = new Float32Array(v.idx.length);
  let n = 0;
  for (let k = 0; k < v.idx.length; k++) {
    const c = colOf[v.idx[k]];
    if (c === 0) continue;
    idx[n] = c - 1;
    val[n++] = v.val[k];
  }
  return { idx: idx.subarray(0, n), val: val.subarray(0, n) };
}

/** Training schedule of both article models (as experiment.ts). */
function articleTrainOptions(seed: number, posWeight?: number[]): TrainOptions {
  return { epochs: 10, lr: 0.2, l2: 1e-4, seed, ...(posWeight ? { posWeight } : {}) };
}

/** The learned article side: a classifier of 'antiru' against 'antiwest' articles. */
export class StanceModel {
  constructor(readonly model: ArticleModel) {}

  /** Trains on the articles whose gold side is 'antiru' or 'antiwest'; null when there are none. */
  static train(docs: { id: string; dt: DocTokens }[], gold: Map<string, string>, seed: number): StanceModel | null {
    const labelled = docs.filter((d) => gold.get(d.id) === 'antiru' || gold.get(d.id) === 'antiwest');
    if (!labelled.length) return null;
    const y = labelled.map((d) => [STANCE_LABELS.indexOf(gold.get(d.id)!)]);
    return new StanceModel(ArticleModel.train(labelled.map((d) => d.dt), y, STANCE_LABELS, STANCE_BITS, articleTrainOptions(seed)));
  }

  /** 'antiru', 'antiwest' or 'unsure'. */
  side(dt: DocTokens, hashes?: ArrayLike<number>): string {
    const p = this.model.proba(dt, hashes);
    return p[0] > p[1] + STANCE_MARGIN ? 'antiru' : p[1] > p[0] + STANCE_MARGIN ? 'antiwest' : 'unsure';
  }
}

/** The article-level model of the fine roles in an article: 22 dense columns, scale · (p − training share). */
export class ArticleRolesModel {
  constructor(readonly model: ArticleModel, readonly share: Float64Array, readonly scale: number) {}

  /** `fine[i]`: the fine-role indices of article i's mentions. */
  static train(docs: DocTokens[], fine: number[][], labels: string[], seed: number, scale = 1): ArticleRolesModel {
    const F = labels.length;
    const pos = new Array<number>(F).fill(0);
    for (const ys of fine) for (const l of ys) pos[l]++;
    const posWeight = pos.map((c) => (c > 0 ? Math.max(1, Math.sqrt((docs.length - c) / c)) : 1));
    const model = ArticleModel.train(docs, fine, labels, ARTICLE_BITS, articleTrainOptions(seed, posWeight));
    return new ArticleRolesModel(model, Float64Array.from(pos, (c) => c / docs.length), scale);
  }

  get dim(): number {
    return this.share.length;
  }

  columns(dt: DocTokens, hashes?: ArrayLike<number>): Float32Array {
    return Float32Array.from(this.model.proba(dt, hashes), (p, l) => this.scale * (p - this.share[l]));
  }
}

/** What the side features of one article need: its domain, its side by cue words, its learned side (when the model has one). */
export interface ArticleSide {
  domain: string;
  cue: string;
  learned: string | null;
}

/** The side feature strings of one mention (lower-cased, whitespace-collapsed mention string) of an English article. */
export function sideStrings(mention: string, a: ArticleSide): string[] {
  const b = blocOfCached(mention);
  const f: string[] = [];
  if (b) f.push(`bloc=${b}`, `bloc=${b}|${a.domain}`);
  f.push(`st=${a.cue}`, `st=${a.cue}|bloc=${b ?? 'none'}`);
  if (a.learned) f.push(`lst=${a.learned}`, `lst=${a.learned}|bloc=${b ?? 'none'}`);
  return f;
}
