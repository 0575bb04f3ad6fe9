/**
 * The paragraph classifier: hashed word + character n-grams and dense cue
 * features, one-vs-rest logistic regression, Platt calibration per
 * (language, technique), thresholds per (language, technique).
 */
import { HashedTfidf, type VectorizerJSON } from '../../ml/vectorizer.ts';
import { MultiLabelLogReg, type LogRegJSON, type TrainOptions } from '../../ml/logreg.ts';
import { concat, RowBuffer, type SparseVec } from '../../ml/sparse.ts';
import { wordTokens } from '../../ml/tokenize.ts';
import type { HashSpec } from '../../ml/hashing.ts';
import { applyPlatt, type Platt } from '../../ml/calibrate.ts';
import { articleCounts, denseFeatures, denseSparse } from './features.ts';

export interface ParagraphItem {
  article: string;
  lang: string;
  /** Organisers' paragraph id (line number), or the paragraph index for other inputs. */
  id: number;
  text: string;
  tokens: string[];
  position: number;
  count: number;
  articleCounts: Map<string, number>;
  meanTokens: number;
  /** Gold label indices (training only). */
  y?: number[];
}

/** Builds items for the paragraphs of one article. `labels` maps a paragraph to its gold label indices. */
export function articleItems(article: string, lang: string, paragraphs: { id: number; text: string }[], labels?: (id: number) => number[]): ParagraphItem[] {
  const toks = paragraphs.map((p) => wordTokens(p.text));
  const counts = articleCounts(toks);
  const meanTokens = toks.reduce((a, t) => a + t.length, 0) / Math.max(1, toks.length);
  return paragraphs.map((p, i) => ({
    article,
    lang,
    id: p.id,
    text: p.text,
    tokens: toks[i],
    position: i,
    count: paragraphs.length,
    articleCounts: counts,
    meanTokens,
    y: labels ? labels(p.id) : undefined,
  }));
}

export interface ParagraphConfig {
  spec: HashSpec;
  minDf: number;
  maxFeatures: number;
  train: TrainOptions;
}

export const DEFAULT_PARAGRAPH_CONFIG: ParagraphConfig = {
  spec: { wordNgrams: [1, 2], charNgrams: [2, 5], bits: 21 },
  minDf: 3,
  maxFeatures: 80_000,
  train: { epochs: 6, lr: 0.1, l2: 1e-5, seed: 1 },
};

export interface ParagraphModelJSON {
  vectorizer: VectorizerJSON;
  model: LogRegJSON;
}

export class ParagraphModel {
  constructor(readonly vec: HashedTfidf, readonly model: MultiLabelLogReg) {}

  row(item: ParagraphItem): SparseVec {
    return concat(this.vec.transform(item.text, item.tokens), denseSparse(item.text, item.tokens, item), this.vec.size);
  }

  private buf = new RowBuffer();

  /** Raw log-odds per label: `model.decision(row(item))`, built in a reused buffer. */
  scores(item: ParagraphItem): Float64Array {
    const buf = this.buf;
    buf.n = 0;
    this.vec.transformInto(buf, item.text, item.tokens);
    buf.pushDense(denseFeatures(item.text, item.tokens, item), this.vec.size);
    return this.model.decisionRange(buf.idx, buf.val, 0, buf.n);
  }

  static train(items: ParagraphItem[], labels: string[], cfg: ParagraphConfig, sampleWeight?: number[]): ParagraphModel {
    const vec = HashedTfidf.fit(items.map((i) => i.text), cfg.spec, { minDf: cfg.minDf, maxFeatures: cfg.maxFeatures });
    const shell = new ParagraphModel(vec, new MultiLabelLogReg(labels, 0));
    const rows = items.map((i) => shell.row(i));
    const nDense = rows.reduce((m, r) => Math.max(m, r.idx.length ? r.idx[r.idx.length - 1] + 1 : 0), vec.size) - vec.size;
    const model = MultiLabelLogReg.train(rows, items.map((i) => i.y ?? []), labels, vec.size + nDense + 1, { ...cfg.train, sampleWeight });
    return new ParagraphModel(vec, model);
  }

  toJSON(): ParagraphModelJSON {
    return { vectorizer: this.vec.toJSON(), model: this.model.toJSON(true) };
  }

  static fromJSON(j: ParagraphModelJSON): ParagraphModel {
    return new ParagraphModel(HashedTfidf.fromJSON(j.vectorizer), MultiLabelLogReg.fromJSON(j.model));
  }
}

/** Calibrated probabilities from raw scores with per-label Platt parameters. */
export function calibrate(scores: ArrayLike<number>, platt: Platt[]): Float64Array {
  const out = new Float64Array(scores.length);
  for (let l = 0; l < scores.length; l++) out[l] = applyPlatt(platt[l], scores[l]);
  return out;
}
