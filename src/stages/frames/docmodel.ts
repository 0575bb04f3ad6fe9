/**
 * Article-level linear classifiers shared by the frames and genre stages:
 * hashed TF-IDF (word and character n-grams) → one-vs-rest logistic
 * regression → per-language Platt calibration → per-language decisions
 * (thresholds for multi-label frames, prior-corrected argmax for genre).
 *
 * Because the model is linear, its score splits over the sentences of the
 * article: each feature's contribution w·x is shared among the sentences that
 * contain it, in proportion to how often each contains it. Those shares are the
 * evidence weights the stages report.
 */
import { readFileSync } from 'node:fs';
import { MultiLabelLogReg, type LogRegJSON } from '../../ml/logreg.ts';
import { applyPlatt, type Platt } from '../../ml/calibrate.ts';
import type { SparseVec } from '../../ml/sparse.ts';
import { HashedTfidf, type VectorizerJSON } from '../../ml/vectorizer.ts';
import { tokenHashes } from '../../ml/tokenhash.ts';
import { styleFeatures } from './style.ts';

export type TaskKind = 'multilabel' | 'multiclass';

export interface LanguageCalibration {
  /** Key into `submodels`. */
  submodel: string;
  /** One Platt scaler per label, fitted on out-of-fold scores of this language. */
  platt: Platt[];
  /** multilabel: probability cut per label (Infinity/null = never predicted). */
  thresholds?: (number | null)[];
  /** multiclass: log prior correction added to each class's log-probability before the argmax. */
  logPriorShift?: number[];
  /** multiclass: class shares in this language's training data. */
  trainPrior?: number[];
  /**
   * multiclass: 'raw' picks the class with the highest raw score of a model
   * trained with balanced class weights; confidences are the calibrated
   * probabilities renormalised. Default: argmax of shifted calibrated log-probabilities.
   */
  rule?: 'raw' | 'calibrated';
}

export interface DocModelJSON {
  schema: 'unspin/docmodel@1';
  name: string;
  version: string;
  task: TaskKind;
  labels: string[];
  submodels: Record<string, { vectorizer: VectorizerJSON; logreg: LogRegJSON; style?: StyleScaler }>;
  /** ISO 639-1 code → calibration and decision rule. */
  languages: Record<string, LanguageCalibration>;
  /** Free-form training metadata (data, options, date). */
  meta?: Record<string, unknown>;
}

/** Standardisation of the style features (appended after the n-gram columns). */
export interface StyleScaler {
  mean: number[];
  sd: number[];
  /** Multiplier after standardising, so the dense features sit on the scale of TF-IDF values. */
  scale: number;
}

export function styleRow(features: number[], scaler: StyleScaler): number[] {
  return features.map((v, i) => ((v - scaler.mean[i]) / (scaler.sd[i] || 1)) * scaler.scale);
}

/** TF-IDF row with the scaled style features appended at column `offset`. */
export function withStyle(row: SparseVec, style: number[] | null, offset: number): SparseVec {
  if (!style) return row;
  const idx = new Int32Array(row.idx.length + style.length);
  const val = new Float32Array(row.idx.length + style.length);
  idx.set(row.idx);
  val.set(row.val);
  style.forEach((v, i) => {
    idx[row.idx.length + i] = offset + i;
    val[row.idx.length + i] = v;
  });
  return { idx, val };
}

export interface Submodel {
  vectorizer: HashedTfidf;
  logreg: MultiLabelLogReg;
  style?: StyleScaler;
}

export function makeSubmodel(vectorizer: HashedTfidf, logreg: MultiLabelLogReg, style?: StyleScaler): Submodel {
  return { vectorizer, logreg, style };
}

/** Counts of every column `text` hits (ascending columns). */
export function bucketCounts(text: string, vectorizer: HashedTfidf, _col?: Int32Array): Map<number, number> {
  return vectorizer.columnCounts(text);
}

/** The word-token hashes of text[start, end) when the vectorizer hashes word n-grams (shared memo), else undefined. */
function wordHashes(vectorizer: HashedTfidf, text: string, start = 0, end = text.length): Int32Array | undefined {
  return vectorizer.spec.wordNgrams.length ? tokenHashes(text, start, end) : undefined;
}

/** A document's TF-IDF row (style not included) and each column's raw count. */
interface DocRow {
  text: string;
  sub: Submodel;
  idx: Int32Array;
  val: Float32Array;
  counts: Int32Array;
}

/** TF-IDF row from column counts: sublinear tf × idf, L2-normalised (the vectorizer's own formula). */
export function rowFromCounts(counts: Map<number, number>, idf: Float32Array): SparseVec {
  const keys = [...counts.keys()].sort((a, b) => a - b);
  const idx = new Int32Array(keys.length);
  const val = new Float32Array(keys.length);
  let s = 0;
  for (let i = 0; i < keys.length; i++) {
    const c = keys[i];
    const v = (1 + Math.log(counts.get(c)!)) * idf[c];
    idx[i] = c;
    val[i] = v;
    s += v * v;
  }
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < val.length; i++) val[i] *= inv;
  }
  return { idx, val };
}

export interface Prediction {
  /** Raw linear scores (log-odds of the one-vs-rest models). */
  scores: Float64Array;
  /** Calibrated probabilities: per label for multilabel; a distribution over classes for multiclass. */
  probs: number[];
  /** multilabel: indices of labels over their thresholds; multiclass: one index. */
  chosen: number[];
}

export interface SentenceRange {
  start: number;
  end: number;
}

export class DocModel {
  readonly json: DocModelJSON;
  readonly labels: string[];
  readonly task: TaskKind;
  private readonly subs = new Map<string, Submodel>();

  constructor(json: DocModelJSON) {
    if (json.schema !== 'unspin/docmodel@1') throw new Error(`unknown model schema ${String(json.schema)}`);
    this.json = json;
    this.labels = json.labels;
    this.task = json.task;
  }

  static load(path: string | URL): DocModel {
    return new DocModel(JSON.parse(readFileSync(path, 'utf8')) as DocModelJSON);
  }

  get id(): string {
    return `${this.json.name}@${this.json.version}`;
  }

  /** ISO codes this model has a calibrated decision rule for. */
  get languages(): string[] {
    return Object.keys(this.json.languages).sort();
  }

  /** The stored calibration and decision rule of a language. */
  calibration(lang: string): LanguageCalibration {
    return this.sub(lang).cal;
  }

  supports(lang: string): boolean {
    return Object.hasOwn(this.json.languages, lang);
  }

  private sub(lang: string): { sub: Submodel; cal: LanguageCalibration } {
    const cal = this.json.languages[lang];
    if (!cal) throw new Error(`${this.json.name}: no model for language '${lang}'`);
    let sub = this.subs.get(cal.submodel);
    if (!sub) {
      const j = this.json.submodels[cal.submodel];
      if (!j) throw new Error(`${this.json.name}: missing submodel '${cal.submodel}'`);
      sub = makeSubmodel(HashedTfidf.fromJSON(j.vectorizer), MultiLabelLogReg.fromJSON(j.logreg), j.style);
      this.subs.set(cal.submodel, sub);
    }
    return { sub, cal };
  }

  /** The last document row computed (predict and contributions of one article share it). */
  private lastRow: DocRow | null = null;
  /** Per-column scratch for `contributions`: a column's value per occurrence, and its count (0: absent). */
  private unit = new Float64Array(0);
  private docCount = new Int32Array(0);

  private docRow(sub: Submodel, text: string): DocRow {
    const last = this.lastRow;
    if (last && last.sub === sub && last.text === text) return last;
    const { idx, val, counts } = sub.vectorizer.transformWithCounts(text, wordHashes(sub.vectorizer, text));
    this.lastRow = { text, sub, idx, val, counts };
    return this.lastRow;
  }

  /** `override` replaces parts of the language's decision rule (e.g. a deployment prior). */
  predict(text: string, lang: string, override?: Partial<LanguageCalibration>): Prediction {
    const { sub, cal: base } = this.sub(lang);
    const cal = override ? { ...base, ...override } : base;
    const { idx, val } = this.docRow(sub, text);
    const style = sub.style ? styleRow(styleFeatures(text, lang), sub.style) : null;
    const scores = sub.logreg.decision(withStyle({ idx, val }, style, sub.vectorizer.size));
    return decide(this.task, scores, cal);
  }

  /**
   * Each sentence's share of the linear score of each label in `labels`
   * (bias excluded): `out[k][i]` is sentence i's share for labels[k].
   * Features that cross sentence boundaries (a bigram over a full stop) and the
   * document-wide style features belong to no sentence, so the shares sum to
   * score − bias − (style part) − (cross-boundary part).
   */
  contributions(text: string, lang: string, sentences: SentenceRange[], labels: number[]): number[][] {
    const { sub } = this.sub(lang);
    const { vectorizer, logreg } = sub;
    const L = logreg.labels.length;
    const w = logreg.w;
    const doc = this.docRow(sub, text);
    if (this.unit.length < vectorizer.size) {
      this.unit = new Float64Array(vectorizer.size);
      this.docCount = new Int32Array(vectorizer.size);
    }
    const { unit, docCount } = this;
    // per column: x / count (the value one occurrence carries)
    for (let k = 0; k < doc.idx.length; k++) {
      unit[doc.idx[k]] = doc.val[k] / doc.counts[k];
      docCount[doc.idx[k]] = doc.counts[k];
    }
    const out = labels.map(() => new Array<number>(sentences.length).fill(0));
    const nl = labels.length;
    for (let i = 0; i < sentences.length; i++) {
      const s = sentences[i];
      // word n-grams come from the shared token hashes; only character n-grams read the text
      const piece = vectorizer.spec.charNgrams ? text.slice(s.start, s.end) : '';
      const { cols, counts } = vectorizer.countColumns(piece, wordHashes(vectorizer, text, s.start, s.end));
      for (let j = 0; j < cols.length; j++) {
        const c = cols[j];
        const dc = docCount[c];
        if (dc === 0) continue;
        const share = unit[c] * Math.min(counts[j], dc);
        for (let k = 0; k < nl; k++) out[k][i] += w[c * L + labels[k]] * share;
      }
    }
    for (let k = 0; k < doc.idx.length; k++) {
      unit[doc.idx[k]] = 0;
      docCount[doc.idx[k]] = 0;
    }
    return out;
  }
}

/** Turns raw scores into calibrated probabilities and a decision. */
export function decide(task: TaskKind, scores: Float64Array, cal: LanguageCalibration): Prediction {
  const p = Array.from(scores, (s, l) => applyPlatt(cal.platt[l], s));
  if (task === 'multilabel') {
    const thr = cal.thresholds ?? p.map(() => 0.5);
    const chosen: number[] = [];
    p.forEach((v, l) => {
      const t = thr[l];
      if (t !== null && t !== undefined && Number.isFinite(t) && v >= t) chosen.push(l);
    });
    return { scores, probs: p, chosen };
  }
  // multiclass: normalise the calibrated one-vs-rest probabilities, then shift by the prior correction
  const shift = cal.logPriorShift ?? p.map(() => 0);
  const logits = p.map((v, l) => Math.log(Math.max(v, 1e-9)) + shift[l]);
  const m = Math.max(...logits);
  const e = logits.map((z) => Math.exp(z - m));
  const z = e.reduce((a, b) => a + b, 0);
  const probs = e.map((v) => v / z);
  let best = 0;
  const by = cal.rule === 'raw' ? Array.from(scores) : probs;
  for (let l = 1; l < by.length; l++) if (by[l] > by[best]) best = l;
  return { scores, probs, chosen: [best] };
}
