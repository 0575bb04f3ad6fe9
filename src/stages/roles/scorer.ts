/**
 * The stage's fast path from a mention to its role probabilities: the same
 * numbers, bit for bit, as the plain path
 *
 *     model.classifier.proba(model.vectorFromHashes(mentionFeatureHashes(ctx, dt) + side hashes, mentionDense(ctx, dt) + article columns))
 *
 * without its allocations. The sparse row (hashed columns with the side
 * features of side.ts, then the 400 word-vector columns, then the 22 article
 * fine-role columns) is written into scratch buffers kept by the scorer;
 * each token's word flag is tested once per article and each form's
 * word-vector id looked up once (features.ts tokenForm, kept per form across
 * articles) instead of once per mention and block; the word-vector blocks go
 * straight into the row (no Float32Array per mention, no word lists); the scores come
 * from `decisionRange` into a reused buffer. Every float operation is the one
 * the plain path performs, in the same order (float32 accumulation of the
 * vectors, the same normalisations, the same dot-product kernel), which is
 * why no shortcut that reorders sums (sentence totals minus the mention,
 * weights × vectors tables per word) is taken: scorer.test.ts compares
 * both paths exactly.
 */
import { loadWordVectors, type WordVectors } from '../../models/embeddings/index.ts';
import { FINE_ROLES, MAIN_ROLES, mainRoleOf } from '../../corpora/semeval2025/taxonomy.ts';
import { firstToken, mentionFeatureHashes, mentionString, tokenForm, type DocTokens, type MentionContext } from './features.ts';
import { DENSE_SKIP_TOP, DENSE_WINDOW, mentionDense } from './dense.ts';
import type { ArticleContext, RoleModel } from './model.ts';

/** Word tokens looked at either side, as in features.ts and dense.ts. */
const FEATURE_WINDOW = 10;

/** fround(1 + log(count)) for small counts (hashNumbers' values before normalisation). */
const LOG_COUNT = Float32Array.from({ length: 64 }, (_, c) => 1 + Math.log(c));

/** The chosen roles of one probability vector (as decodeRoles gives them, without the ranking). */
export interface RoleChoice {
  main: string;
  mainConfidence: number;
  fine: string;
  fineConfidence: number;
}

const NM = MAIN_ROLES.length;
/** Index in MAIN_ROLES of each fine role's main role. */
const MAIN_OF = Int32Array.from(FINE_ROLES, (r) => MAIN_ROLES.indexOf(mainRoleOf(r)!));

/**
 * decodeRoles(p) restricted to the chosen main and fine role and their
 * confidences: the first fine role (in FINE_ROLES order) with the highest
 * p(fine) · p(its main role), as the stable sort in decodeRoles puts first.
 */
export function chooseRoles(p: ArrayLike<number>): RoleChoice {
  let z = 0;
  for (let m = 0; m < NM; m++) z += p[m];
  let best = 0;
  let bestS = -Infinity;
  for (let i = 0; i < FINE_ROLES.length; i++) {
    const pm = z > 0 ? p[MAIN_OF[i]] / z : 1 / NM;
    const s = p[NM + i] * pm;
    if (i === 0 || s > bestS) {
      best = i;
      bestS = s;
    }
  }
  const mi = MAIN_OF[best];
  return { main: MAIN_ROLES[mi], mainConfidence: z > 0 ? p[mi] / z : 1 / NM, fine: FINE_ROLES[best], fineConfidence: p[NM + best] };
}

export class MentionScorer {
  private readonly wv: WordVectors | null;
  private readonly dim: number;
  private readonly acc: Float32Array;
  private readonly out: Float64Array<ArrayBuffer>;
  private buckets = new Int32Array(256);
  private idx = new Int32Array(1024);
  private val = new Float32Array(1024);
  /** Word-vector ids of the left block, nearest first (added farthest first, as the plain path does). */
  private readonly picked = new Int32Array(DENSE_WINDOW);

  constructor(private readonly model: RoleModel) {
    this.wv = model.denseDim ? loadWordVectors() : null;
    this.dim = this.wv ? this.wv.dim : 0;
    if (this.wv && model.denseDim !== 4 * this.dim) throw new Error(`the roles model needs ${model.denseDim} word-vector features per mention, the vectors give ${4 * this.dim}`);
    this.acc = new Float32Array(this.dim);
    this.out = new Float64Array(model.classifier.labels.length);
  }

  /**
   * Role probabilities (ROLE_LABELS order) of one mention; the returned buffer
   * is reused by the next call. `article`: the article's context
   * (RoleModel.articleContext) for a model with article-level parts.
   */
  proba(ctx: MentionContext, doc: DocTokens, article?: ArticleContext): Float64Array {
    const hashes = mentionFeatureHashes(ctx, doc);
    if (article?.side) for (const h of this.model.sideHashes(mentionString(ctx), article)) hashes.push(h);
    if (!this.model.columnOfBucket) {
      // kept buckets not ascending (no model trained here has that): the plain path
      const d = this.wv ? mentionDense(ctx, doc) : undefined;
      this.out.set(this.model.classifier.proba(this.model.vectorFromHashes(hashes, this.model.articleDim ? this.model.withArticleColumns(d, article) : d)));
      return this.out;
    }
    let n = this.hashed(hashes);
    if (this.wv) n = this.dense(ctx, doc, n);
    if (article?.dense) n = this.articleColumns(article.dense, n);
    const z = this.model.classifier.decisionRange(this.idx, this.val, 0, n, this.out);
    for (let l = 0; l < z.length; l++) z[l] = 1 / (1 + Math.exp(-z[l]));
    return z;
  }

  private ensure(n: number): void {
    if (n <= this.idx.length) return;
    const size = Math.max(n, 2 * this.idx.length);
    const idx = new Int32Array(size);
    const val = new Float32Array(size);
    idx.set(this.idx);
    val.set(this.val);
    this.idx = idx;
    this.val = val;
  }

  /**
   * hashNumbers (features.ts) then the kept-bucket remapping (RoleModel)
   * into idx/val[0, n): buckets ascending, 1 + log count, L2-normalised over
   * all buckets, then restricted to the kept ones and normalised again.
   * Returns n.
   */
  private hashed(hashes: ArrayLike<number>): number {
    const m = hashes.length;
    if (m > this.buckets.length) this.buckets = new Int32Array(Math.max(m, 2 * this.buckets.length));
    const mask = (1 << this.model.bits) - 1;
    const b = this.buckets.subarray(0, m);
    for (let i = 0; i < m; i++) b[i] = hashes[i] & mask;
    b.sort();
    const colOf = this.model.columnOfBucket!;
    this.ensure(m + this.model.denseDim + this.model.articleDim);
    const idx = this.idx;
    const val = this.val;
    // pass 1: the norm over every bucket (the same float32 values, added in the same order as hashNumbers)
    let ss = 0;
    for (let i = 0; i < m; ) {
      let j = i + 1;
      while (j < m && b[j] === b[i]) j++;
      const c = j - i;
      const x = c < LOG_COUNT.length ? LOG_COUNT[c] : Math.fround(1 + Math.log(c));
      ss += x * x;
      i = j;
    }
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    // pass 2: the kept buckets, each value as hashNumbers stores it, and their norm
    let n = 0;
    let ss2 = 0;
    for (let i = 0; i < m; ) {
      let j = i + 1;
      while (j < m && b[j] === b[i]) j++;
      const col = colOf[b[i]];
      if (col !== 0) {
        const c = j - i;
        const x = Math.fround((c < LOG_COUNT.length ? LOG_COUNT[c] : Math.fround(1 + Math.log(c))) * inv);
        idx[n] = col - 1;
        val[n++] = x;
        ss2 += x * x;
      }
      i = j;
    }
    const inv2 = ss2 > 0 ? 1 / Math.sqrt(ss2) : 0;
    for (let k = 0; k < n; k++) val[k] = val[k] * inv2;
    return n;
  }

  /** Word-vector id of token k (-1: unknown), or -2 when the token is no word; looked up once per form. */
  private tokenId(doc: DocTokens, text: string, k: number): number {
    const f = tokenForm(doc, text, k);
    if (!f) return -2;
    if (f.wid === -2) f.wid = this.wv!.id(doc.tokens[k].norm);
    return f.wid;
  }

  /** The four word-vector blocks of mentionDense (dense.ts), appended to the row at idx/val[n…] with zeros left out; returns the new length. */
  private dense(ctx: MentionContext, doc: DocTokens, n: number): number {
    const toks = doc.tokens;
    const nt = toks.length;
    const text = ctx.text;
    const dim = this.dim;
    const offset = this.model.buckets.length;
    const i0 = firstToken(toks, (t) => t.end > ctx.start);
    let i1 = i0;
    while (i1 < nt && toks[i1].start < ctx.end) i1++;
    const picked = this.picked;
    // left block: the nearest DENSE_WINDOW word tokens among the FEATURE_WINDOW before the mention, inside the sentence, added farthest first
    let np = 0;
    for (let k = i0 - 1; k >= Math.max(0, i0 - FEATURE_WINDOW) && np < DENSE_WINDOW; k--) {
      const id = this.tokenId(doc, text, k);
      if (id === -2) continue;
      if (toks[k].start < ctx.sentStart) break;
      picked[np++] = id;
    }
    this.begin();
    let known = 0;
    for (let q = np - 1; q >= 0; q--) known += this.add(picked[q], DENSE_SKIP_TOP);
    n = this.finish(known, n, offset);
    // right block: the first DENSE_WINDOW word tokens among the 2·FEATURE_WINDOW after it, inside the sentence
    this.begin();
    known = 0;
    for (let k = i1, end = Math.min(nt, i1 + 2 * FEATURE_WINDOW), taken = 0; k < end && taken < DENSE_WINDOW; k++) {
      const id = this.tokenId(doc, text, k);
      if (id === -2) continue;
      if (toks[k].start >= ctx.sentEnd) break;
      known += this.add(id, DENSE_SKIP_TOP);
      taken++;
    }
    n = this.finish(known, n, offset + dim);
    // the rest of the sentence: its word tokens not inside the mention
    this.begin();
    known = 0;
    for (let k = firstToken(toks, (t) => t.start >= ctx.sentStart); k < nt && toks[k].start < ctx.sentEnd; k++) {
      if (toks[k].start >= ctx.start && toks[k].end <= ctx.end) continue;
      const id = this.tokenId(doc, text, k);
      if (id !== -2) known += this.add(id, DENSE_SKIP_TOP);
    }
    n = this.finish(known, n, offset + 2 * dim);
    // the mention's own words (none skipped for frequency)
    this.begin();
    known = 0;
    for (let k = i0; k < i1; k++) {
      const id = this.tokenId(doc, text, k);
      if (id !== -2) known += this.add(id, 0);
    }
    return this.finish(known, n, offset + 3 * dim);
  }

  /** The article fine-role columns (after the word-vector ones), zeros left out, after idx/val[0, n); returns the new length. */
  private articleColumns(cols: Float32Array, n: number): number {
    const off = this.model.buckets.length + this.model.denseDim;
    for (let d = 0; d < cols.length; d++) {
      if (cols[d] === 0) continue;
      this.idx[n] = off + d;
      this.val[n++] = cols[d];
    }
    return n;
  }

  private begin(): void {
    this.acc.fill(0);
  }

  /** Adds the vector of word `id` unless it is unknown or among the `skipTop` most frequent; 1 when added. */
  private add(id: number, skipTop: number): number {
    if (id < skipTop || id < 0) return 0;
    this.wv!.addTo(this.acc, id);
    return 1;
  }

  /** Writes the unit-length block at columns `col…` (zeros left out) after idx/val[0, n); returns the new length. */
  private finish(known: number, n: number, col: number): number {
    if (!known) return n;
    const acc = this.acc;
    let ss = 0;
    for (let d = 0; d < acc.length; d++) ss += acc[d] * acc[d];
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    const idx = this.idx;
    const val = this.val;
    for (let d = 0; d < acc.length; d++) {
      const x = Math.fround(acc[d] * inv);
      if (x === 0) continue;
      idx[n] = col + d;
      val[n++] = x;
    }
    return n;
  }
}
