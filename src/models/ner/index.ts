/**
 * The committed English NER model (models/ner/en.bin.gz), loaded once on
 * first use. `tagSentence(words)` returns BIO tags over PER/ORG/LOC/MISC.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NerModel } from './model.ts';

export { NerModel } from './model.ts';
export { TAGS, chunks, type Chunk } from './tags.ts';

/** Where the committed weights live. */
export const MODEL_PATH = fileURLToPath(new URL('../../../models/ner/en.bin.gz', import.meta.url));

let cached: NerModel | null = null;

export function nerModel(): NerModel {
  if (!cached) cached = NerModel.decode(readFileSync(MODEL_PATH));
  return cached;
}

/** "name@version" of the committed model, for Analysis.models. */
export function nerModelId(): string {
  const h = nerModel().header;
  return `${h.name}@${h.version}`;
}
