/**
 * Dense word-vector features of one entity mention for the roles model: the
 * mean pretrained vector (src/models/embeddings) of the nearest 5 window words
 * left of the mention that lie in its sentence, of the nearest 5 right of it
 * in its sentence, of the rest of its sentence, and of the mention's own words:
 * 4 × 100 columns, each block unit length (zero when no word is known).
 * Context words among the 100 most frequent forms ("the", "said", "of") are
 * skipped; the mention's own words are all kept. With these, "besieged",
 * "bombarded" and "shelled" next to an entity look alike to the classifier,
 * which a few hundred English training mentions cannot teach through word
 * identities alone.
 *
 * The blocks are defined on the mention's feature strings (features.ts: `l=`,
 * `r=`, `s=`, `et=`, and `ls=`/`rs=`, the window words inside the sentence), so
 * `RoleModel.predict(features)` can compute them itself; `mentionDense` gives
 * the same numbers from the tokens without building the strings (the stage's
 * fast path; a test checks they agree).
 */
import { loadWordVectors, type WordVectors } from '../../models/embeddings/index.ts';
import { firstToken, type DocTokens, type MentionContext } from './features.ts';

/** Window words either side of the mention. */
export const DENSE_WINDOW = 5;
/** Context words with an id below this (the most frequent forms) are skipped. */
export const DENSE_SKIP_TOP = 100;
/** Blocks: left window, right window, rest of sentence, mention. */
export const DENSE_BLOCKS = 4;
/** Word tokens looked at either side, as in features.ts (left: among this many tokens; right: the first this many words among twice as many tokens). */
const FEATURE_WINDOW = 10;

const isWord = (s: string) => /[\p{L}\p{N}]/u.test(s);

/** Number of dense columns for the given vectors. */
export function denseDim(wv: WordVectors = loadWordVectors()): number {
  return DENSE_BLOCKS * wv.dim;
}

/** Mean of the vectors of `words` (skipping unknown ones and ids below `skipTop`) into out[offset…], unit length. */
function meanBlock(wv: WordVectors, words: readonly string[], skipTop: number, out: Float32Array, offset: number, acc: Float32Array): void {
  acc.fill(0);
  let n = 0;
  for (const w of words) {
    const id = wv.id(w);
    if (id < skipTop || id < 0) continue;
    wv.addTo(acc, id);
    n++;
  }
  if (!n) return;
  let ss = 0;
  for (let d = 0; d < acc.length; d++) ss += acc[d] * acc[d];
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  for (let d = 0; d < acc.length; d++) out[offset + d] = acc[d] * inv;
}

function blocks(wv: WordVectors, left: string[], right: string[], sentence: string[], mention: string[]): Float32Array {
  const out = new Float32Array(DENSE_BLOCKS * wv.dim);
  const acc = new Float32Array(wv.dim);
  meanBlock(wv, left, DENSE_SKIP_TOP, out, 0, acc);
  meanBlock(wv, right, DENSE_SKIP_TOP, out, wv.dim, acc);
  meanBlock(wv, sentence, DENSE_SKIP_TOP, out, 2 * wv.dim, acc);
  meanBlock(wv, mention, 0, out, 3 * wv.dim, acc);
  return out;
}

/** The dense features from a mention's feature strings (features.ts mentionFeatureStrings). */
export function denseFromFeatures(features: readonly string[], wv: WordVectors = loadWordVectors()): Float32Array {
  const l: string[] = [];
  const r: string[] = [];
  const s: string[] = [];
  const m: string[] = [];
  let ls = 0;
  let rs = 0;
  for (const f of features) {
    if (f.startsWith('l=')) l.push(f.slice(2));
    else if (f.startsWith('r=')) r.push(f.slice(2));
    else if (f.startsWith('s=')) s.push(f.slice(2));
    else if (f.startsWith('et=')) {
      if (isWord(f.slice(3))) m.push(f.slice(3));
    } else if (f.startsWith('ls=')) ls = Number(f.slice(3));
    else if (f.startsWith('rs=')) rs = Number(f.slice(3));
  }
  // l= runs in text order (farthest first), r= nearest first
  return blocks(wv, l.slice(l.length - Math.min(DENSE_WINDOW, ls)), r.slice(0, Math.min(DENSE_WINDOW, rs)), s, m);
}

/** The same numbers as denseFromFeatures(mentionFeatureStrings(ctx, doc)), from the tokens. `doc` must be the tokens of ctx.text. */
export function mentionDense(ctx: MentionContext, doc: DocTokens, wv: WordVectors = loadWordVectors()): Float32Array {
  const toks = doc.tokens;
  const n = toks.length;
  // first token ending after the mention start (tokens are in text order), and the first starting at or after its end
  const i0 = firstToken(toks, (t) => t.end > ctx.start);
  let i1 = i0;
  const mention: string[] = [];
  while (i1 < n && toks[i1].start < ctx.end) {
    if (isWord(toks[i1].text)) mention.push(toks[i1].norm);
    i1++;
  }
  // left: word tokens among the FEATURE_WINDOW tokens before the mention, inside the sentence, nearest DENSE_WINDOW
  const left: string[] = [];
  for (let k = i0 - 1; k >= Math.max(0, i0 - FEATURE_WINDOW) && left.length < DENSE_WINDOW; k--) {
    if (!isWord(toks[k].text)) continue;
    if (toks[k].start < ctx.sentStart) break;
    left.unshift(toks[k].norm);
  }
  // right: the first FEATURE_WINDOW word tokens among the 2·FEATURE_WINDOW after it, inside the sentence, first DENSE_WINDOW
  const right: string[] = [];
  for (let k = i1, end = Math.min(n, i1 + 2 * FEATURE_WINDOW); k < end && right.length < DENSE_WINDOW; k++) {
    if (!isWord(toks[k].text)) continue;
    if (toks[k].start >= ctx.sentEnd) break;
    right.push(toks[k].norm);
  }
  // the sentence's words outside the mention
  const sentence: string[] = [];
  for (let k = firstToken(toks, (t) => t.start >= ctx.sentStart); k < n && toks[k].start < ctx.sentEnd; k++) {
    if (toks[k].start >= ctx.start && toks[k].end <= ctx.end) continue;
    if (isWord(toks[k].text)) sentence.push(toks[k].norm);
  }
  return blocks(wv, left, right, sentence, mention);
}
