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
import { QUOTE_FEATURES, quoteFeatures } from './quote-features.ts';

export interface ExtraColumns {
  names: readonly string[];
  compute(text: string): number[];
}

export const EXTRAS: Record<string, ExtraColumns> = {
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
