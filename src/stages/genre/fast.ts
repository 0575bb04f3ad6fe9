/**
 * One pass over an article for a character-n-gram genre submodel (English):
 * the n-gram model's raw scores and every sentence's share of each label's
 * score, the same numbers as `DocModel.predict(...).scores` and
 * `DocModel.contributions(...)` but without hashing the text three times
 * (document for the decision, document again and every sentence for the
 * evidence).
 *
 * Character n-grams live inside whitespace-delimited chunks, and each
 * distinct chunk's columns are computed once and cached, so the document and
 * its sentences are counted from cached columns without building a Map per
 * sentence. Where the units overlap or the submodel hashes word n-grams
 * (the other languages), `forLanguage`/`run` return null and the caller takes
 * the DocModel path. Sums are taken in the same order as DocModel's, so the
 * results are identical, not just close.
 */
import { hashFeatures, isWs } from '../../ml/hashing.ts';
import { MultiLabelLogReg } from '../../ml/logreg.ts';
import { HashedTfidf } from '../../ml/vectorizer.ts';
import type { SentenceRange, DocModel, StyleScaler } from '../frames/docmodel.ts';
import { styleRow, withStyle } from '../frames/docmodel.ts';
import { styleFeatures } from '../frames/style.ts';

/** Chunks whose columns are remembered; the cache is emptied when full. */
const CHUNK_CACHE_MAX = 50_000;
const EMPTY = new Int32Array(0);

export interface NgramPass {
  /** Raw n-gram scores per label (DocModel.predict(...).scores). */
  scores: Float64Array;
  /** `contrib[l][i]`: unit i's share of label l's score (DocModel.contributions). */
  contrib: Float64Array[];
}

export class CharNgramScorer {
  private readonly vec: HashedTfidf;
  private readonly logreg: MultiLabelLogReg;
  private readonly style: StyleScaler | undefined;
  private readonly lang: string;
  /** bucket → column, or -1 */
  private readonly col: Map<number, number>;
  private readonly chunks = new Map<string, Int32Array>();
  private acc: Int32Array;
  private unitAcc: Int32Array;
  private docTouched: Int32Array;
  /** One bit per document row position counted in the current unit. */
  private unitSeen: Int32Array;

  private constructor(vec: HashedTfidf, logreg: MultiLabelLogReg, style: StyleScaler | undefined, lang: string) {
    this.vec = vec;
    this.logreg = logreg;
    this.style = style;
    this.lang = lang;
    this.col = new Map();
    for (let i = 0; i < vec.buckets.length; i++) this.col.set(vec.buckets[i], i);
    this.acc = new Int32Array(vec.size);
    this.unitAcc = new Int32Array(vec.size);
    this.docTouched = new Int32Array(vec.size);
    this.unitSeen = new Int32Array((vec.size + 31) >>> 5);
  }

  /** The scorer for `lang`'s submodel of `model`, or null when it hashes word n-grams. */
  static forLanguage(model: DocModel, lang: string): CharNgramScorer | null {
    const cal = model.json.languages[lang];
    const j = cal && model.json.submodels[cal.submodel];
    if (!j || j.vectorizer.spec.wordNgrams.length || !j.vectorizer.spec.charNgrams) return null;
    return new CharNgramScorer(HashedTfidf.fromJSON(j.vectorizer), MultiLabelLogReg.fromJSON(j.logreg), j.style, lang);
  }

  private chunkColumns(src: string, i: number, j: number): Int32Array {
    const key = src.slice(i, j);
    let cols = this.chunks.get(key);
    if (cols) return cols;
    const out: number[] = [];
    hashFeatures(key, [], { ...this.vec.spec, wordNgrams: [] }, (b) => {
      const c = this.col.get(b);
      if (c !== undefined) out.push(c);
    });
    cols = out.length ? Int32Array.from(out) : EMPTY;
    if (this.chunks.size >= CHUNK_CACHE_MAX) this.chunks.clear();
    this.chunks.set(key, cols);
    return cols;
  }

  /** Scores and per-unit shares, or null when the units overlap or lower-casing moves offsets. */
  run(text: string, units: readonly SentenceRange[]): NgramPass | null {
    const n = text.length;
    let prevEnd = 0;
    for (const u of units) {
      if (u.start < prevEnd || u.end < u.start || u.end > n) return null;
      prevEnd = u.end;
    }
    const src = this.vec.spec.charLowercase ? text.toLowerCase() : text;
    // lower-casing that changes the length (e.g. U+0130) would shift every offset
    if (src.length !== n) return null;
    const { acc, unitAcc, docTouched } = this;
    const L = this.logreg.labels.length;
    let nDoc = 0;
    let i = 0;
    // the document's chunks, kept for the units: [start, end) and columns
    const chunkStart: number[] = [];
    const chunkEnd: number[] = [];
    const chunkCols: Int32Array[] = [];
    while (i < n) {
      while (i < n && isWs(src.charCodeAt(i))) i++;
      if (i >= n) break;
      let j = i;
      while (j < n && !isWs(src.charCodeAt(j))) j++;
      const cols = this.chunkColumns(src, i, j);
      for (let k = 0; k < cols.length; k++) if (acc[cols[k]]++ === 0) docTouched[nDoc++] = cols[k];
      chunkStart.push(i);
      chunkEnd.push(j);
      chunkCols.push(cols);
      i = j;
    }
    // the document's TF-IDF row, as rowFromCounts builds it
    const idx = docTouched.slice(0, nDoc).sort();
    const val = new Float32Array(nDoc);
    const docCount = new Int32Array(nDoc);
    const idf = this.vec.idf;
    let s = 0;
    for (let k = 0; k < nDoc; k++) {
      const c = idx[k];
      docCount[k] = acc[c];
      const v = (1 + Math.log(acc[c])) * idf[c];
      val[k] = v;
      s += v * v;
    }
    if (s > 0) {
      const inv = 1 / Math.sqrt(s);
      for (let k = 0; k < nDoc; k++) val[k] *= inv;
    }
    const style = this.style ? styleRow(styleFeatures(text, this.lang), this.style) : null;
    const scores = this.logreg.decision(withStyle({ idx, val }, style, this.vec.size));
    // acc becomes the column → row position map (-1: not in the document)
    acc.fill(-1);
    for (let k = 0; k < nDoc; k++) acc[idx[k]] = k;
    const w = this.logreg.w;
    const contrib = Array.from({ length: L }, () => new Float64Array(units.length));
    const seen = this.unitSeen;
    // each unit is counted as its own text (DocModel slices it out): a chunk cut by the
    // unit's boundary contributes the n-grams of the piece inside. Counts are kept
    // by row position (unitAcc[p]).
    let ci = 0;
    for (let ui = 0; ui < units.length; ui++) {
      const { start, end } = units[ui];
      let lo = seen.length;
      let hi = -1;
      // units are ordered and disjoint: skip the chunks that end before this one starts
      while (ci < chunkStart.length && chunkEnd[ci] <= start) ci++;
      for (let cj = ci; cj < chunkStart.length && chunkStart[cj] < end; cj++) {
        const a = chunkStart[cj];
        const b = chunkEnd[cj];
        // a chunk cut by the unit's boundary: the n-grams of the piece inside
        const cols = a >= start && b <= end ? chunkCols[cj] : this.chunkColumns(src, Math.max(a, start), Math.min(b, end));
        for (let k = 0; k < cols.length; k++) {
          // a piece of a cut chunk can hit a column the whole document lacks: DocModel skips it too
          const p = acc[cols[k]];
          if (p >= 0 && unitAcc[p]++ === 0) {
            const wi = p >>> 5;
            seen[wi] |= 1 << (p & 31);
            if (wi < lo) lo = wi;
            if (wi > hi) hi = wi;
          }
        }
      }
      // row positions in ascending order = columns in ascending order (DocModel's order)
      for (let wi = lo; wi <= hi; wi++) {
        let word = seen[wi];
        if (word === 0) continue;
        seen[wi] = 0;
        while (word !== 0) {
          const low = word & -word;
          const p = (wi << 5) + (31 - Math.clz32(low));
          word ^= low;
          const n = unitAcc[p];
          unitAcc[p] = 0;
          const c = idx[p];
          const share = (val[p] / docCount[p]) * Math.min(n, docCount[p]);
          for (let l = 0; l < L; l++) contrib[l][ui] += w[c * L + l] * share;
        }
      }
    }
    acc.fill(0);
    return { scores, contrib };
  }
}
