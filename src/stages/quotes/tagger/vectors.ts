/**
 * The word vectors the tagger's meaning features read (the project's compiled
 * GloVe-style vectors, `src/models/embeddings/`). One import site, so that the
 * tagger names a single dependency.
 */
export { cosine, loadWordVectors, unitLength } from '../../../models/embeddings/index.ts';
