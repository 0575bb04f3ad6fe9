/**
 * SemEval-2023 Task 3 subtask 1 from the genre model: one article text in,
 * the label of its prediction row out (`ID<TAB>reporting|opinion|satire`).
 */
import type { DocModel } from '../frames/docmodel.ts';
import { isoLanguage } from '../frames/semeval.ts';
import { genreModel, genreStack, predictGenre } from './index.ts';
import type { GenreStack } from './stack.ts';

/** The genre predicted for one article, or throws for a language the model has no calibration for. */
export function predictTask1(text: string, lang: string, model: DocModel = genreModel(), stack: GenreStack | null = genreStack()): string {
  const iso = isoLanguage(lang);
  if (!model.supports(iso)) throw new Error(`genre: no model for language '${lang}' (have ${model.languages.join(', ')})`);
  return model.labels[predictGenre(model, stack, text, iso).chosen[0]];
}
