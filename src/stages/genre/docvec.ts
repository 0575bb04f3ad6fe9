/**
 * Document vectors for the genre model from the project's word vectors
 * (src/models/embeddings): the weighted mean vector of the whole article, of
 * its title and of its opening sentences, how close these are to each other,
 * and the article's spread over the coarse word clusters.
 *
 * Word weights follow smooth inverse frequency: the vector file lists words
 * most frequent first, so a word's id is its frequency rank r and, under
 * Zipf's law, its weight a / (a + p(w)) becomes r / (r + R) with R = 100.
 * Frequent function words count little, rare content words almost fully.
 */
import { cosine, loadWordVectors, unitLength as normalise, type WordVectors } from '../../models/embeddings/index.ts';

export { cosine };
import { wordsOf } from './features.ts';

/** Rank at which a word's weight reaches one half. */
const HALF_RANK = 100;
/** Opening words that make up the "lede" vector. */
const LEDE_WORDS = 60;

export interface DocVectors {
  /** Weighted mean of the body's word vectors (title excluded), unit length (zeros when no word is known). */
  body: Float32Array;
  title: Float32Array;
  lede: Float32Array;
  /** Share of the word tokens found in the vector vocabulary. */
  known: number;
  /** Share of known tokens in each cluster of the coarsest level. */
  clusters: Float32Array;
}

/** The article's vectors; the first line of `text` is its title. */
export function docVectors(text: string, wv: WordVectors = loadWordVectors()): DocVectors {
  const { words, lower } = wordsOf(text);
  const nl = text.indexOf('\n');
  const titleEnd = nl < 0 ? text.length : nl;
  const body = new Float32Array(wv.dim);
  const title = new Float32Array(wv.dim);
  const lede = new Float32Array(wv.dim);
  const clusters = new Float32Array(wv.levels[0]);
  let known = 0;
  let bodyWords = 0;
  for (let i = 0; i < words.length; i++) {
    const id = wv.id(lower[i]);
    const inTitle = words[i].start < titleEnd;
    if (!inTitle) bodyWords++;
    if (id < 0) continue;
    known++;
    clusters[wv.cluster(id, 0)]++;
    const w = id / (id + HALF_RANK);
    if (inTitle) wv.addTo(title, id, w);
    else {
      wv.addTo(body, id, w);
      if (bodyWords <= LEDE_WORDS) wv.addTo(lede, id, w);
    }
  }
  if (known) for (let c = 0; c < clusters.length; c++) clusters[c] /= known;
  return { body: normalise(body), title: normalise(title), lede: normalise(lede), known: known / Math.max(1, words.length), clusters };
}

/** Names of docVecFeatures' columns, for `dim`-dimensional vectors and `k` coarse clusters. */
export function docVecFeatureNames(dim: number, k: number): string[] {
  return [
    ...Array.from({ length: dim }, (_, i) => `v_body_${i}`),
    ...Array.from({ length: dim }, (_, i) => `v_title_${i}`),
    'v_title_body_cos',
    'v_lede_body_cos',
    'v_title_lede_cos',
    'v_known_share',
    ...Array.from({ length: k }, (_, i) => `v_cluster_${i}`),
  ];
}

/** The columns named by docVecFeatureNames. */
export function docVecFeatures(text: string, wv: WordVectors = loadWordVectors()): number[] {
  const v = docVectors(text, wv);
  return [...v.body, ...v.title, cosine(v.title, v.body), cosine(v.lede, v.body), cosine(v.title, v.lede), v.known, ...v.clusters];
}

/** Share of the article's known word tokens in each cluster at `level` of the vector file. */
export function clusterShares(text: string, level: number, wv: WordVectors = loadWordVectors()): Float32Array {
  const { lower } = wordsOf(text);
  const out = new Float32Array(wv.levels[level]);
  let known = 0;
  for (const w of lower) {
    const id = wv.id(w);
    if (id < 0) continue;
    out[wv.cluster(id, level)]++;
    known++;
  }
  if (known) for (let c = 0; c < out.length; c++) out[c] /= known;
  return out;
}
