/**
 * The stacked English genre model: a small logistic regression over the
 * article style features (features.ts) and the three raw scores of the
 * n-gram genre model, then Platt calibration and tuned class shifts (the same
 * decision rule as the n-gram model; see models/genre/MODEL_CARD.md).
 * Stored in models/genre/stack-en.json; trained by `unspin train genre`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { MultiLabelLogReg, type LogRegJSON } from '../../ml/logreg.ts';
import type { SparseVec } from '../../ml/sparse.ts';
import { decide, type DocModel, type LanguageCalibration, type Prediction } from '../frames/docmodel.ts';
import { GENRE_FEATURES, genreFeatures, genreFeatureShares } from './features.ts';

export interface GenreStackJSON {
  schema: 'unspin/genre-stack@1';
  /** ISO code of the language this stack replaces the n-gram decision for. */
  lang: string;
  /** Input columns: the style feature names, then `ngram:<label>` per class. */
  inputs: string[];
  /** Standardisation of the inputs (z-scores are clipped to ±CLIP). */
  mean: number[];
  sd: number[];
  logreg: LogRegJSON;
  calibration: Omit<LanguageCalibration, 'submodel'>;
  meta?: Record<string, unknown>;
}

/** z-scores are clipped so one extreme article cannot dominate a linear score. */
export const CLIP = 5;

/** Input names: the style features, then (when `ngram`) one n-gram score per class. */
export function stackInputNames(labels: string[], features: readonly string[] = GENRE_FEATURES, ngram = true): string[] {
  return [...features, ...(ngram ? labels.map((l) => `ngram:${l}`) : [])];
}

/** The stack's input row: the named style features of `text`, then the n-gram scores (when it takes them). */
export function stackInputs(inputs: readonly string[], text: string, ngramScores: ArrayLike<number> = []): number[] {
  const all = genreFeatures(text);
  const out: number[] = [];
  let ng = 0;
  for (const name of inputs) {
    if (name.startsWith('ngram:')) out.push(ngramScores[ng++]);
    else {
      const i = GENRE_FEATURES.indexOf(name as (typeof GENRE_FEATURES)[number]);
      if (i < 0) throw new Error(`genre stack: unknown input '${name}'`);
      out.push(all[i]);
    }
  }
  if (ng && ng !== ngramScores.length) throw new Error(`genre stack: expected ${ng} n-gram scores, got ${ngramScores.length}`);
  return out;
}

/** Standardised, clipped input row. */
export function stackRow(x: number[], mean: number[], sd: number[]): SparseVec {
  const idx = new Int32Array(x.length);
  const val = new Float32Array(x.length);
  x.forEach((v, i) => {
    idx[i] = i;
    val[i] = Math.max(-CLIP, Math.min(CLIP, (v - mean[i]) / (sd[i] || 1)));
  });
  return { idx, val };
}

export class GenreStack {
  readonly json: GenreStackJSON;
  private readonly logreg: MultiLabelLogReg;

  /** The regression over the standardised inputs. */
  get weights(): MultiLabelLogReg {
    return this.logreg;
  }

  constructor(json: GenreStackJSON) {
    if (json.schema !== 'unspin/genre-stack@1') throw new Error(`unknown genre stack schema ${String(json.schema)}`);
    this.json = json;
    this.logreg = MultiLabelLogReg.fromJSON(json.logreg);
  }

  static load(path: string | URL): GenreStack {
    return new GenreStack(JSON.parse(readFileSync(path, 'utf8')) as GenreStackJSON);
  }

  /** Loads `path` if it exists, else null (the n-gram model then decides alone). */
  static loadIfPresent(path: string | URL): GenreStack | null {
    return existsSync(path) ? GenreStack.load(path) : null;
  }

  /** Whether the stack takes the n-gram model's scores (else the style features alone decide). */
  get usesNgram(): boolean {
    return this.json.inputs.some((n) => n.startsWith('ngram:'));
  }

  /** Raw scores from the style features and (when it takes them) the n-gram model's raw scores. */
  scores(text: string, ngramScores?: ArrayLike<number>): Float64Array {
    const x = stackInputs(this.json.inputs, text, ngramScores);
    return this.logreg.decision(stackRow(x, this.json.mean, this.json.sd));
  }

  /** The genre decision for `text`, given the n-gram model it was stacked on. */
  predict(text: string, ngram: DocModel, override?: Partial<LanguageCalibration>): Prediction {
    return this.predictFromScores(text, this.usesNgram ? ngram.predict(text, this.json.lang).scores : undefined, override);
  }

  /** The genre decision for `text`, given the raw scores of the n-gram model it was stacked on (if it takes them). */
  predictFromScores(text: string, ngramScores?: ArrayLike<number>, override?: Partial<LanguageCalibration>): Prediction {
    if (this.usesNgram && !ngramScores) throw new Error('genre stack: this stack needs the n-gram model\'s scores');
    const s = this.scores(text, ngramScores);
    return decide('multiclass', s, { submodel: 'stack', ...this.json.calibration, ...override });
  }
}

/**
 * Each unit's share of label `label`'s linear score from the style features
 * that add up over the text (genreFeatureShares): Σ_f w_f · share_f / sd_f.
 * The standardisation's offset, the clipping and the document-wide features
 * belong to no sentence.
 */
export function styleEvidence(stack: GenreStack, text: string, units: readonly { start: number; end: number }[], label: number): number[] {
  const shares = genreFeatureShares(text, units);
  const { inputs, sd } = stack.json;
  const lr = stack.weights;
  const L = lr.labels.length;
  const cols = inputs.map((n) => GENRE_FEATURES.indexOf(n as (typeof GENRE_FEATURES)[number]));
  return shares.map((row) => {
    let s = 0;
    cols.forEach((f, i) => {
      if (f >= 0 && row[f] !== 0) s += (lr.w[i * L + label] * row[f]) / (sd[i] || 1);
    });
    return s;
  });
}
