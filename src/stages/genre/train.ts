/**
 * Training and nested cross-validation of the stacked English genre model
 * (stack.ts). Not loaded at analysis time.
 *
 * The stacker never sees an n-gram score of an article that the n-gram model
 * was trained on: its training inputs are out-of-fold n-gram scores (k-fold
 * inside the training articles). In cross-validation this whole procedure,
 * including Platt calibration and the tuned class shifts, runs inside each
 * outer training part, and the outer test articles are scored once at the end.
 */
import { coordinateSearch, type Platt } from '../../ml/calibrate.ts';
import { meanStd } from '../../ml/cv.ts';
import { MultiLabelLogReg } from '../../ml/logreg.ts';
import { DocModel, decide, type LanguageCalibration } from '../frames/docmodel.ts';
import { fitPlattSafe, hashDocs, officialScore, perLabelF1, stratifiedFolds, trainDocModel, type CountCache, type DocTrainOptions, type TrainDoc } from '../frames/train.ts';
import { GENRE_FEATURES } from './features.ts';
import { stackInputNames, stackInputs, stackRow, type GenreStackJSON } from './stack.ts';

export interface StackOptions {
  /** L2 strength of the stacker (selected by cross-validation, see the model card). */
  l2: number;
  epochs: number;
  lr: number;
  seed: number;
  /** Folds for the out-of-fold n-gram scores and for the stacker's calibration. */
  innerFolds: number;
  /**
   * Repetitions of the inner split (different seeds) whose out-of-fold scores,
   * pooled, fit the Platt sigmoids and the class shifts: with 8 satire pieces
   * in a training part, one split leaves the shifts noisy.
   */
  innerReps: number;
  /** Style features used (names from GENRE_FEATURES). */
  features: readonly string[];
  /**
   * Whether the n-gram model's (out-of-fold) scores join the inputs. Off since
   * repeated cross-validation found no gain from them (see the model card).
   */
  ngram: boolean;
}

/**
 * Named style feature sets. 'robust' drops four features whose weights on the
 * English training set run against their reading or follow layout (longer
 * articles, money amounts and dates counting towards opinion; all-caps
 * headlines). 'cues' keeps the features with a known reading
 * (attribution, quotation, person, prescription, evaluation, questions and
 * exclamations, dateline, numbers, titles and institutions, contractions,
 * paragraphing) and drops those that mostly measure length or a source's layout.
 */
export const STACK_FEATURE_SETS: Record<string, readonly string[]> = {
  all: GENRE_FEATURES,
  robust: GENRE_FEATURES.filter((n) => !['log_words', 'money', 'time_rate', 'all_caps_words'].includes(n)),
  cues: [
    'log_paragraphs', 'words_per_paragraph', 'attributed_sentences', 'quoted_sentences', 'quote_marks', 'attribution_rate',
    'first_singular_rate', 'second_rate', 'modal_rate', 'evaluative_rate', 'intensifier_rate', 'question_sentences',
    'exclamation_sentences', 'dateline', 'numbers', 'honorific_rate', 'institution_rate', 'contractions',
  ],
};

export const STACK_OPTIONS: StackOptions = { l2: 3e-2, epochs: 60, lr: 0.1, seed: 1, innerFolds: 4, innerReps: 5, features: STACK_FEATURE_SETS.robust, ngram: false };

type Rows = Map<string, number[]>;

/** Out-of-fold raw n-gram scores of every doc (k-fold, stratified by class). */
export function ngramOutOfFold(docs: TrainDoc[], ngOpts: DocTrainOptions, cache: CountCache, k: number, seed: number): Rows {
  const folds = stratifiedFolds(docs, k, seed, 'multiclass');
  const out: Rows = new Map();
  // the n-gram model's own calibration is not used here: 2 inner folds keep it cheap
  const cheap = { ...ngOpts, innerFolds: 2 };
  for (let f = 0; f < k; f++) {
    const m = new DocModel(trainDocModel(docs.filter((_, i) => folds[i] !== f), cheap, cache));
    docs.forEach((d, i) => {
      if (folds[i] === f) out.set(d.id, Array.from(m.predict(d.text, d.lang).scores));
    });
  }
  return out;
}

interface Fit {
  mean: number[];
  sd: number[];
  model: MultiLabelLogReg;
}

function fitStacker(docs: TrainDoc[], inputs: Rows, labels: string[], o: StackOptions): Fit {
  const rows = docs.map((d) => inputs.get(d.id)!);
  const D = rows[0].length;
  const mean = new Array<number>(D).fill(0);
  const sd = new Array<number>(D).fill(0);
  for (const r of rows) r.forEach((v, i) => (mean[i] += v / rows.length));
  for (const r of rows) r.forEach((v, i) => (sd[i] += (v - mean[i]) ** 2 / rows.length));
  for (let i = 0; i < D; i++) sd[i] = Math.sqrt(sd[i]) || 1;
  // balanced class weights: each class carries the same total weight
  const count = labels.map((_, l) => docs.filter((d) => d.y[0] === l).length);
  const present = count.filter((c) => c > 0).length;
  const sampleWeight = docs.map((d) => docs.length / (present * count[d.y[0]]));
  const model = MultiLabelLogReg.train(rows.map((r) => stackRow(r, mean, sd)), docs.map((d) => d.y), labels, D, {
    epochs: o.epochs,
    lr: o.lr,
    l2: o.l2,
    seed: o.seed,
    sampleWeight,
  });
  return { mean, sd, model };
}

const score = (f: Fit, x: number[]) => f.model.decision(stackRow(x, f.mean, f.sd));

/**
 * Per-class log shifts (the most frequent class fixed at 0) that maximise the
 * official macro-F1 on out-of-fold scores, by two rounds of coordinate search.
 */
export function tuneLogShifts(gold: number[], scores: Float64Array[], platt: Platt[], labels: string[]): number[] {
  const L = labels.length;
  const cal: LanguageCalibration = { submodel: '', platt, logPriorShift: new Array<number>(L).fill(0) };
  const goldNames = gold.map((y) => [labels[y]]);
  const f1 = (shift: number[]) => {
    cal.logPriorShift = shift;
    return officialScore('multiclass', labels, goldNames, scores.map((s) => [labels[decide('multiclass', s, cal).chosen[0]]]));
  };
  const count = labels.map((_, l) => gold.filter((y) => y === l).length);
  const anchor = count.indexOf(Math.max(...count));
  const grid = Array.from({ length: 33 }, (_, i) => -2 + i * 0.25);
  return coordinateSearch(L, anchor, grid, f1);
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/**
 * Fits the stacker on `docs` whose inputs (style features + out-of-fold
 * n-gram scores) are given, and its calibration and class shifts on the
 * stacker's own inner out-of-fold scores.
 */
export function trainStack(docs: TrainDoc[], inputs: Rows, labels: string[], lang: string, o: StackOptions = STACK_OPTIONS): GenreStackJSON {
  const oof: Float64Array[] = [];
  const gold: number[] = [];
  for (let rep = 0; rep < o.innerReps; rep++) {
    const folds = stratifiedFolds(docs, o.innerFolds, o.seed + 6 + 100 * rep, 'multiclass');
    const part = new Array<Float64Array>(docs.length);
    for (let f = 0; f < o.innerFolds; f++) {
      const fit = fitStacker(docs.filter((_, i) => folds[i] !== f), inputs, labels, { ...o, seed: o.seed + rep });
      docs.forEach((d, i) => {
        if (folds[i] === f) part[i] = score(fit, inputs.get(d.id)!);
      });
    }
    oof.push(...part);
    gold.push(...docs.map((d) => d.y[0]));
  }
  const platt = labels.map((_, l) => fitPlattSafe(oof.map((s) => s[l]), gold.map((y) => (y === l ? 1 : 0))));
  const logPriorShift = tuneLogShifts(gold, oof, platt, labels);
  const fit = fitStacker(docs, inputs, labels, o);
  return {
    schema: 'unspin/genre-stack@1',
    lang,
    inputs: stackInputNames(labels, o.features, o.ngram),
    mean: fit.mean.map(round4),
    sd: fit.sd.map(round4),
    logreg: fit.model.toJSON(false),
    calibration: {
      platt: platt.map((p) => ({ a: round4(p.a), b: round4(p.b) })),
      logPriorShift,
      trainPrior: labels.map((_, l) => round4(docs.filter((d) => d.y[0] === l).length / docs.length)),
    },
  };
}

/** Style features (+ n-gram scores), keyed by doc id. */
function inputRows(docs: TrainDoc[], ngram: Rows | null, names: readonly string[]): Rows {
  return new Map(docs.map((d) => [d.id, stackInputs(names, d.text, ngram?.get(d.id))]));
}

/** The full English stack: out-of-fold n-gram scores over all `docs` (when it takes them), then trainStack. */
export function trainGenreStack(docs: TrainDoc[], ngOpts: DocTrainOptions, labels: string[], lang: string, o: StackOptions = STACK_OPTIONS, cache?: CountCache): GenreStackJSON {
  const ng = o.ngram ? ngramOutOfFold(docs, ngOpts, cache ?? hashDocs(docs, ngOpts), o.innerFolds, o.seed + 10) : null;
  return trainStack(docs, inputRows(docs, ng, stackInputNames(labels, o.features, o.ngram)), labels, lang, o);
}

export interface StackCvRow {
  folds: number[];
  mean: number;
  std: number;
  pooled: number;
  perClass: Record<string, number>;
}

/**
 * Nested k-fold cross-validation of one language's docs, on the folds the
 * n-gram trainer uses (`stratifiedFolds(docs, k, seed)`): the n-gram model
 * alone (its committed decision rule) and the stack, side by side.
 */
export function crossValidateStack(docs: TrainDoc[], ngOpts: DocTrainOptions, labels: string[], lang: string, k: number, o: StackOptions = STACK_OPTIONS, log?: (line: string) => void): { ngram: StackCvRow; stack: StackCvRow } {
  const cache = hashDocs(docs, ngOpts);
  const folds = stratifiedFolds(docs, k, ngOpts.seed, 'multiclass');
  const predNgram = new Map<string, number>();
  const predStack = new Map<string, number>();
  for (let f = 0; f < k; f++) {
    const t0 = Date.now();
    const train = docs.filter((_, i) => folds[i] !== f);
    const test = docs.filter((_, i) => folds[i] === f);
    const ngram = new DocModel(trainDocModel(train, ngOpts, cache));
    const stack = trainGenreStack(train, ngOpts, labels, lang, o, cache);
    const cal = { submodel: 'stack', ...stack.calibration };
    const fit: Fit = { mean: stack.mean, sd: stack.sd, model: MultiLabelLogReg.fromJSON(stack.logreg) };
    for (const d of test) {
      const p = ngram.predict(d.text, lang);
      predNgram.set(d.id, p.chosen[0]);
      predStack.set(d.id, decide('multiclass', score(fit, stackInputs(stack.inputs, d.text, p.scores)), cal).chosen[0]);
    }
    log?.(`  ${lang} stack fold ${f + 1}/${k}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  const summarise = (pred: Map<string, number>): StackCvRow => {
    const names = (ds: TrainDoc[]) => ({ gold: ds.map((d) => [labels[d.y[0]]]), pred: ds.map((d) => [labels[pred.get(d.id)!]]) });
    const per: number[] = [];
    for (let f = 0; f < k; f++) {
      const n = names(docs.filter((_, i) => folds[i] === f));
      per.push(officialScore('multiclass', labels, n.gold, n.pred));
    }
    const all = names(docs);
    return { folds: per, ...meanStd(per), pooled: officialScore('multiclass', labels, all.gold, all.pred), perClass: perLabelF1('multiclass', labels, all.gold, all.pred) };
  };
  return { ngram: summarise(predNgram), stack: summarise(predStack) };
}

