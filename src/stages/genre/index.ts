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
import { DocModel } from '../frames/docmodel.ts';
import { evidenceUnits, topEvidence } from '../frames/evidence.ts';
import { ARTICLE_MODEL_LANGUAGES } from '../frames/index.ts';
import type { LanguageCalibration, Prediction } from '../frames/docmodel.ts';
import { GenreStack } from './stack.ts';

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
  const useStack = stack && stack.json.lang === language ? stack : null;
  const cal = useStack ? useStack.json.calibration : model.calibration(language);
  const override: Partial<LanguageCalibration> | undefined = deployPrior && cal.trainPrior
    ? { logPriorShift: priorShift(model.labels, cal.trainPrior, deployPrior), rule: 'calibrated' }
    : undefined;
  return useStack ? useStack.predict(text, model, override) : model.predict(text, language, override);
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
      const pred = predictGenre(model, getStack(), text, language, opts.deployPrior);
      const best = pred.chosen[0];
      // evidence: the sentences' shares of the n-gram model's score for the chosen genre
      // (the stack's style features are document-wide and belong to no sentence)
      const units = evidenceUnits(input.segments, text);
      const [contrib] = model.contributions(text, language, units, [best]);
      const genre: GenreLabel = {
        label: model.labels[best] as GenreLabel['label'],
        confidence: Math.round(pred.probs[best] * 1000) / 1000,
        evidence: topEvidence(units, contrib, opts.evidence ?? 3),
      };
      const stack = getStack();
      return { layers: { genre }, model: stack && stack.json.lang === language ? `${model.id}+stack-${language}` : model.id };
    },
  };
}

export const genreStage: Stage = createGenreStage();
