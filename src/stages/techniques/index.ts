/**
 * The `techniques` stage: persuasion-technique spans (SemEval-2023 taxonomy)
 * with a calibrated confidence and the voice they are in, and the set of
 * techniques of every paragraph. Model: models/techniques (trained by
 * `unspin train techniques`).
 */
import type { Stage, StageInput, StageOutput } from '../../document/stage.ts';
import type { ParagraphTechniques, TechniqueSpan } from '../../document/types.ts';
import { techniquesModel, type TechniquesModel } from './model.ts';
import { voiceOf } from './voice.ts';

export { techniquesModel, TechniquesModel } from './model.ts';
export { voiceOf } from './voice.ts';

export function runTechniques(input: StageInput, model: TechniquesModel = techniquesModel()): StageOutput {
  const { text, segments, analysis } = input;
  const paras = segments.paragraphs;
  const pred = model.predict(
    paras.map((p, i) => ({ id: i, text: p.text })),
    input.language,
    { spans: true },
  );
  const diagnostics: StageOutput['diagnostics'] = [];
  const key = model.langKey(input.language);
  if (!model.calibration[key]) {
    diagnostics.push({
      code: 'language-untrained',
      severity: 'info',
      stage: 'techniques',
      message: `no training data in language '${input.language}': using thresholds pooled over all training languages`,
    });
  }
  const quotes = Array.isArray(analysis.quotes) ? analysis.quotes : [];
  const techniques: TechniqueSpan[] = pred.spans.map((s) => {
    const p = paras[s.paragraph];
    const start = p.start + s.start;
    const end = p.start + s.end;
    const v = voiceOf(text, { start, end }, quotes);
    return {
      technique: s.technique,
      start,
      end,
      text: text.slice(start, end),
      confidence: round(s.confidence),
      voice: v.voice,
      quote: v.quote,
      paragraph: p.index,
    };
  });
  techniques.sort((a, b) => a.start - b.start || b.end - a.end || a.technique.localeCompare(b.technique));
  const paragraphTechniques: ParagraphTechniques[] = pred.paragraphs.map((pp, i) => ({
    paragraph: paras[i].index,
    techniques: pp.techniques.map((t) => ({ technique: t.technique, confidence: round(t.confidence) })),
  }));
  return { layers: { techniques, paragraphTechniques }, model: model.id, diagnostics };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export const techniquesStage: Stage = {
  name: 'techniques',
  requires: ['segments', 'quotes'],
  assigns: ['techniques', 'paragraphTechniques'],
  run: (input) => runTechniques(input),
};

export default techniquesStage;
