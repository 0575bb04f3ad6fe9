/**
 * The committed NER models (models/ner/<language>.bin.gz), each loaded once
 * on first use. English is the main model; German, Italian and Russian
 * models exist where the corpora allowed training one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NerModel } from './model.ts';

export { NerModel } from './model.ts';
export { TAGS, chunks, type Chunk } from './tags.ts';

/** Where the committed weights for `language` live. */
export function modelPath(language = 'en'): string {
  return fileURLToPath(new URL(`../../../models/ner/${language}.bin.gz`, import.meta.url));
}

/** The English model's path. */
export const MODEL_PATH = modelPath('en');

const cache = new Map<string, NerModel>();

/** True when a model for `language` is committed. */
export function hasNerModel(language: string): boolean {
  return /^[a-z]{2}$/.test(language) && existsSync(modelPath(language));
}

/** The model for `language` (default English). Throws when none is committed. */
export function nerModel(language = 'en'): NerModel {
  let m = cache.get(language);
  if (!m) {
    m = NerModel.decode(readFileSync(modelPath(language)));
    cache.set(language, m);
  }
  return m;
}

/** "name@version" of a committed model, for Analysis.models. */
export function nerModelId(language = 'en'): string {
  const h = nerModel(language).header;
  return `${h.name}@${h.version}`;
}
