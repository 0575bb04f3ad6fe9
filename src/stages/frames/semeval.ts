/**
 * SemEval-2023 Task 3 subtask 2 from the frames model: one article text in,
 * the frame list of its prediction row out (`ID<TAB>frame,frame,…`).
 */
import { SEMEVAL2023_ISO } from '../../corpora/semeval2023/index.ts';
import type { DocModel } from './docmodel.ts';
import { framesModel } from './index.ts';

/** Corpus language code (en, fr, ge, it, po, ru) or ISO 639-1 code → ISO code. */
export function isoLanguage(lang: string): string {
  return SEMEVAL2023_ISO[lang] ?? lang;
}

/**
 * The frames predicted for one article (taxonomy order), or throws for a
 * language the model has no calibration for.
 */
export function predictTask2(text: string, lang: string, model: DocModel = framesModel()): string[] {
  const iso = isoLanguage(lang);
  if (!model.supports(iso)) throw new Error(`frames: no model for language '${lang}' (have ${model.languages.join(', ')})`);
  return model.predict(text, iso).chosen.sort((a, b) => a - b).map((l) => model.labels[l]);
}
