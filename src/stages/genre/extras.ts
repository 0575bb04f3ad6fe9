/**
 * Extra article features tried by explore.ts beside the style features:
 * named column groups, each computed from an article's text.
 */
import { analyzeText } from '../../pipeline.ts';
import { entitiesStage } from '../entities/index.ts';
import { quotesStage } from '../quotes/index.ts';
import { clusterShares, docVecFeatureNames, docVecFeatures } from './docvec.ts';
import { loadWordVectors } from '../../models/embeddings/index.ts';
import { LEX_FEATURES, lexFeatures } from './lexicon.ts';
import { GENRE_FEATURES, genreFeatures } from './features.ts';
import { QUOTE_FEATURES, quoteFeatures } from './quote-features.ts';

export interface ExtraColumns {
  names: readonly string[];
  compute(text: string): number[];
}

/** Style features of the opening that reads like a lede (the title and the first three body sentences). */
const LEDE_COLS = ['attributed_sentences', 'quoted_sentences', 'first_singular_rate', 'first_plural_rate', 'second_rate', 'evaluative_rate', 'time_rate', 'question_sentences', 'numbers', 'capitalised_inner_words'] as const;

function ledeFeatures(text: string): number[] {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => /\p{L}/u.test(l));
  const body = lines.slice(1).join(' ');
  const first = body.split(/(?<=[.!?]["”’)]?)\s+(?=["“‘(]?[A-Z0-9])/).slice(0, 3).join(' ');
  const f = genreFeatures(`${lines[0] ?? ''}\n${first}`);
  return LEDE_COLS.map((n) => f[GENRE_FEATURES.indexOf(n)]);
}

export const EXTRAS: Record<string, ExtraColumns> = {
  lede: { names: LEDE_COLS.map((n) => `lede_${n}`), compute: ledeFeatures },
  quotes: {
    names: QUOTE_FEATURES,
    compute: (text) => quoteFeatures(analyzeText(text, { language: 'en' }, { stages: [entitiesStage, quotesStage] })),
  },
  lex: { names: LEX_FEATURES, compute: lexFeatures },
  c256: {
    names: Array.from({ length: 256 }, (_, i) => `c256_${i}`),
    compute: (text) => Array.from(clusterShares(text, 1)),
  },
  vec: {
    get names() {
      const wv = loadWordVectors();
      return docVecFeatureNames(wv.dim, wv.levels[0]);
    },
    compute: (text) => docVecFeatures(text),
  },
};
