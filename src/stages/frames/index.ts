/**
 * The frames stage: which of the 14 SemEval-2023 frames the article uses
 * (multi-label), each with a calibrated confidence and the sentences that
 * weigh most for it. Model: models/frames/model.json (`unspin train frames`).
 */
import type { FrameLabel } from '../../document/types.ts';
import type { Stage, StageInput, StageOutput } from '../../document/stage.ts';
import { DocModel } from './docmodel.ts';
import { evidenceUnits, topEvidence } from './evidence.ts';

/** ISO 639-1 codes the committed article-level models are trained for (SemEval-2023 en, fr, ge, it, po, ru). */
export const ARTICLE_MODEL_LANGUAGES = ['en', 'fr', 'de', 'it', 'pl', 'ru'];

export const FRAMES_MODEL_URL = new URL('../../../models/frames/model.json', import.meta.url);

let cached: DocModel | null = null;

/** The committed frames model, loaded once. */
export function framesModel(): DocModel {
  cached ??= DocModel.load(FRAMES_MODEL_URL);
  return cached;
}

export interface FramesStageOptions {
  /** Sentences cited per frame. Default 3. */
  evidence?: number;
}

export function createFramesStage(getModel: () => DocModel = framesModel, opts: FramesStageOptions = {}): Stage {
  return {
    name: 'frames',
    requires: ['segments'],
    assigns: ['frames'],
    languages: ARTICLE_MODEL_LANGUAGES,
    run(input: StageInput): StageOutput {
      const model = getModel();
      const { text, language } = input;
      const pred = model.predict(text, language);
      const chosen = [...pred.chosen].sort((a, b) => pred.probs[b] - pred.probs[a] || a - b);
      const units = evidenceUnits(input.segments, text);
      const contrib = chosen.length ? model.contributions(text, language, units, chosen) : [];
      const frames: FrameLabel[] = chosen.map((l, k) => ({
        frame: model.labels[l],
        confidence: Math.round(pred.probs[l] * 1000) / 1000,
        evidence: topEvidence(units, contrib[k], opts.evidence ?? 3),
      }));
      return { layers: { frames }, model: model.id };
    },
  };
}

export const framesStage: Stage = createFramesStage();
