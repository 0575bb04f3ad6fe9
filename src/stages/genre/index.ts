/**
 * The genre stage: reporting, opinion or satire (SemEval-2023 subtask 1),
 * with a confidence and the sentences that weigh most for the chosen genre.
 * Models: models/genre/model.json (n-gram model, every language) and, for
 * English, models/genre/stack-en.json (style features stacked on the n-gram
 * scores), both from `unspin train genre`; see the model card for how the
 * training set's opinion skew is handled.
 */
import type { GenreLabel } from '../../document/types.ts';
import type { Stage, StageInput, StageOutput } from '../../document/stage.ts';
import { decide, DocModel } from '../frames/docmodel.ts';
import { evidenceUnits, topEvidence } from '../frames/evidence.ts';
import { ARTICLE_MODEL_LANGUAGES } from '../frames/index.ts';
import type { LanguageCalibration, Prediction } from '../frames/docmodel.ts';
import { GenreStack, styleEvidence } from './stack.ts';
import { CharNgramScorer } from './fast.ts';
import type { TextSpan } from '../../document/types.ts';

export const GENRE_MODEL_URL = new URL('../../../models/genre/model.json', import.meta.url);
export const GENRE_STACK_URL = new URL('../../../models/genre/stack-en.json', import.meta.url);
export const GENRES = ['reporting', 'opinion', 'satire'] as const;

let cached: DocModel | null = null;
let cachedStack: GenreStack | null | undefined;

/** The committed genre model, loaded once. */
export function genreModel(): DocModel {
  cached ??= DocModel.load(GENRE_MODEL_URL);
  return cached;
}

/** The committed English stack, loaded once (null when the file is absent). */
export function genreStack(): GenreStack | null {
  if (cachedStack === undefined) cachedStack = GenreStack.loadIfPresent(GENRE_STACK_URL);
  return cachedStack;
}

/**
 * The genre decision for one article: the stack where one exists for the
 * language, else the n-gram model. `deployPrior` re-weights the calibrated
 * probabilities from the training mix to the given mix (see GenreStageOptions).
 */
export function predictGenre(
  model: DocModel,
  stack: GenreStack | null,
  text: string,
  language: string,
  deployPrior?: GenreStageOptions['deployPrior'],
): Prediction {
  const styleOnly = stack && stack.json.lang === language && !stack.usesNgram;
  return decideGenre(model, stack, text, language, styleOnly ? undefined : model.predict(text, language).scores, deployPrior);
}

/** The decision from the n-gram model's raw scores (the stack adds its style features). */
function decideGenre(model: DocModel, stack: GenreStack | null, text: string, language: string, ngramScores: Float64Array | undefined, deployPrior?: GenreStageOptions['deployPrior']): Prediction {
  const useStack = stack && stack.json.lang === language ? stack : null;
  const cal = useStack ? useStack.json.calibration : model.calibration(language);
  const override: Partial<LanguageCalibration> | undefined = deployPrior && cal.trainPrior
    ? { logPriorShift: priorShift(model.labels, cal.trainPrior, deployPrior), rule: 'calibrated' }
    : undefined;
  return useStack
    ? useStack.predictFromScores(text, ngramScores, override)
    : decide(model.task, ngramScores ?? model.predict(text, language).scores, override ? { ...model.calibration(language), ...override } : model.calibration(language));
}

const scorers = new WeakMap<DocModel, Map<string, CharNgramScorer | null>>();

/** The one-pass scorer of a character-n-gram submodel (English), built once per model and language. */
function scorerFor(model: DocModel, language: string): CharNgramScorer | null {
  let m = scorers.get(model);
  if (!m) scorers.set(model, (m = new Map()));
  if (!m.has(language)) m.set(language, CharNgramScorer.forLanguage(model, language));
  return m.get(language)!;
}

/**
 * The decision and each unit's share of the chosen genre's score. Where a
 * style-only stack decides (English), the shares are the sentences' parts of
 * the stack's style features (stack.ts styleEvidence). Elsewhere they are the
 * sentences' shares of the n-gram model's score, in one pass over the text
 * where the submodel allows it (fast.ts), else through DocModel.predict and
 * DocModel.contributions (same numbers).
 */
export function genreWithEvidence(model: DocModel, stack: GenreStack | null, text: string, language: string, units: TextSpan[], deployPrior?: GenreStageOptions['deployPrior']): { pred: Prediction; contrib: ArrayLike<number> } {
  if (stack && stack.json.lang === language && !stack.usesNgram) {
    const pred = predictGenre(model, stack, text, language, deployPrior);
    return { pred, contrib: styleEvidence(stack, text, units, pred.chosen[0]) };
  }
  const pass = scorerFor(model, language)?.run(text, units);
  if (pass) {
    const pred = decideGenre(model, stack, text, language, pass.scores, deployPrior);
    return { pred, contrib: pass.contrib[pred.chosen[0]] };
  }
  const pred = predictGenre(model, stack, text, language, deployPrior);
  return { pred, contrib: model.contributions(text, language, units, [pred.chosen[0]])[0] };
}

export interface GenreStageOptions {
  /** Sentences cited. Default 3. */
  evidence?: number;
  /**
   * The genre mix of the collection being analysed, when known (e.g. a wire
   * feed: `{ reporting: 0.8, opinion: 0.18, satire: 0.02 }`). The calibrated
   * probabilities are re-weighted by Bayes' rule from the training mix of the
   * article's language to this one, and the most probable genre is chosen.
   * Default: the decision rule tuned by cross-validation (see the model card).
   */
  deployPrior?: Partial<Record<(typeof GENRES)[number], number>>;
}

/** Log shifts that move calibrated probabilities from the training mix to `target`. */
export function priorShift(labels: string[], trainPrior: number[], target: Partial<Record<string, number>>): number[] {
  const total = labels.reduce((a, l) => a + (target[l] ?? 0), 0);
  if (!(total > 0)) throw new Error('deployPrior: give a positive share for at least one genre');
  return labels.map((l, i) => Math.log(Math.max((target[l] ?? 0) / total, 1e-6) / Math.max(trainPrior[i], 1e-6)));
}

export function createGenreStage(getModel: () => DocModel = genreModel, opts: GenreStageOptions = {}, getStack: () => GenreStack | null = genreStack): Stage {
  return {
    name: 'genre',
    requires: ['segments'],
    assigns: ['genre'],
    languages: ARTICLE_MODEL_LANGUAGES,
    run(input: StageInput): StageOutput {
      const model = getModel();
      const { text, language } = input;
      // evidence: the sentences' shares of the chosen genre's score (see genreWithEvidence)
      const units = evidenceUnits(input.segments, text);
      const { pred, contrib } = genreWithEvidence(model, getStack(), text, language, units, opts.deployPrior);
      const best = pred.chosen[0];
      const genre: GenreLabel = {
        label: model.labels[best] as GenreLabel['label'],
        confidence: Math.round(pred.probs[best] * 1000) / 1000,
        evidence: topEvidence(units, Array.from(contrib), opts.evidence ?? 3),
      };
      const stack = getStack();
      return { layers: { genre }, model: stack && stack.json.lang === language ? `${model.id}+stack-${language}` : model.id };
    },
  };
}

export const genreStage: Stage = createGenreStage();
