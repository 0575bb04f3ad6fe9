/**
 * The entity-role classifier (SemEval-2025 Task 10 subtask 1): hashed mention
 * features (features.ts) → one-vs-rest logistic regression over the 3 main
 * roles and the 22 fine roles. Decoding picks the one fine role that
 * maximises p(fine) · p(its main role) (main probabilities normalised over
 * the three), and reports its main role; cross-validation found a single role
 * better for exact match than several. Models trained with word vectors
 * append 400 dense columns (dense.ts) after the hashed ones. Models of
 * session 4 carry two article-level parts (side.ts): the entity-side feature
 * strings of English mentions (with a learned article-side classifier), hashed
 * with the rest, and an article fine-role model whose 22 columns follow the
 * word-vector ones. Older files have neither and load as before.
 */
import { decodeInt32, encodeArray, fnv, MultiLabelLogReg, type LogRegJSON, type SparseVec } from '../../ml/index.ts';
import { FINE_ROLES, MAIN_ROLES, mainRoleOf } from '../../corpora/semeval2025/taxonomy.ts';
import { articleDomain, hashNumbers, hashStrings, type DocTokens } from './features.ts';
import { denseFromFeatures } from './dense.ts';
import { ArticleModel, ArticleRolesModel, articleWordHashes, cueStance, sideStrings, StanceModel, type ArticleModelJSON, type ArticleSide } from './side.ts';

export const ROLE_LABELS = [...MAIN_ROLES, ...FINE_ROLES];

export interface RoleModelJSON {
  bits: number;
  /** Hash buckets kept (seen in ≥ 2 training mentions), ascending; column i is buckets[i]. */
  buckets: string;
  /** Dense word-vector columns appended after the hashed ones (dense.ts); absent or 0 in models without them. */
  dense?: number;
  classifier: LogRegJSON;
  /** Entity-side features of English mentions (side.ts); `stance`: the learned article side (float weights). Absent in older models. */
  side?: { stance?: ArticleModelJSON };
  /** The article fine-role model (side.ts): its columns follow the word-vector ones. Absent in older models. */
  articleRoles?: { model: ArticleModelJSON; share: number[]; scale: number };
}

/** What a model's article-level parts say about one article (RoleModel.articleContext); the same for all its mentions. */
export interface ArticleContext {
  /** Present when the model has side features and the article is English. */
  side: ArticleSide | null;
  /** The article fine-role columns, when the model has them. */
  dense: Float32Array | null;
  /** Hashes of each mention string's side features (RoleModel.sideHashes), filled as mentions come. */
  sideHashes?: Map<string, readonly number[]>;
}

export interface RolePrediction {
  main: string;
  mainConfidence: number;
  fine: string;
  fineConfidence: number;
  /** All fine roles with their probabilities, best first. */
  ranked: { role: string; p: number }[];
}

export class RoleModel {
  private readonly col: Map<number, number>;
  /** bucket → column + 1 (0: not kept), and whether columns rise with buckets (then remapping needs no sort). */
  private readonly colOf: Int32Array;
  private readonly ascending: boolean;
  constructor(
    readonly bits: number,
    readonly buckets: Int32Array,
    readonly classifier: MultiLabelLogReg,
    /** Dense columns (dense.ts mentionDense) after the kept buckets; 0: none. */
    readonly denseDim = 0,
    /** Side features (side.ts) for English mentions: null when the model has none; `stance`: the learned article side, when trained. */
    readonly side: { stance: StanceModel | null } | null = null,
    /** The article fine-role model, whose columns follow the word-vector ones; null when the model has none. */
    readonly articleRoles: ArticleRolesModel | null = null,
  ) {
    this.col = new Map(Array.from(buckets, (b, i) => [b, i]));
    this.colOf = new Int32Array(2 ** bits);
    let ascending = true;
    buckets.forEach((b, i) => {
      if (b < 0 || b >= this.colOf.length || this.colOf[b]) ascending = false;
      else this.colOf[b] = i + 1;
      if (i > 0 && buckets[i - 1] >= b) ascending = false;
    });
    this.ascending = ascending;
  }

  /** Columns of the article fine-role model (after the word-vector ones); 0: none. */
  get articleDim(): number {
    return this.articleRoles ? this.articleRoles.dim : 0;
  }

  /**
   * The article-level facts the model's session-4 parts need, computed once
   * per article: its side (English articles, `lang` as in the corpus or an
   * ISO code, any case) and its fine-role columns. Both null for an older model.
   */
  articleContext(dt: DocTokens, lang: string): ArticleContext {
    const en = this.side !== null && lang.toLowerCase() === 'en';
    const hashes = (en && this.side!.stance) || this.articleRoles ? articleWordHashes(dt) : undefined;
    const side = en ? { domain: dt.domain ?? articleDomain(dt), cue: cueStance(dt), learned: this.side!.stance ? this.side!.stance.side(dt, hashes) : null } : null;
    return { side, dense: this.articleRoles ? this.articleRoles.columns(dt, hashes) : null };
  }

  /** The side feature strings of a mention (lower-cased, whitespace-collapsed) in an article with context `ctx` (none without side features). */
  sideFeatures(mention: string, ctx: ArticleContext | undefined): string[] {
    return ctx?.side ? sideStrings(mention, ctx.side) : [];
  }

  /** FNV-1a hashes of sideFeatures(mention, ctx), remembered in `ctx` per mention string. */
  sideHashes(mention: string, ctx: ArticleContext | undefined): readonly number[] {
    if (!ctx?.side) return [];
    let h = ctx.sideHashes?.get(mention);
    if (!h) (ctx.sideHashes ??= new Map()).set(mention, (h = sideStrings(mention, ctx.side).map((f) => fnv(f))));
    return h;
  }

  /**
   * Hashed features (plus the side features the article context gives)
   * restricted to the kept buckets (re-normalised), then, when the model has
   * them, the word-vector columns — `dense` or, without it, those computed from
   * the feature strings (dense.ts denseFromFeatures) — and the article
   * fine-role columns of `ctx` (zero, i.e. the training shares, without it).
   */
  vector(features: string[], dense?: Float32Array, ctx?: ArticleContext): SparseVec {
    let all = features;
    if (ctx?.side) {
      const e = features.find((f) => f.startsWith('e='));
      if (e !== undefined) all = [...features, ...sideStrings(e.slice(2), ctx.side)];
    }
    const d = this.denseDim && !dense ? denseFromFeatures(features) : dense;
    return this.withDense(remap(hashStrings(all, this.bits), this.col), this.articleDim ? this.withArticleColumns(d, ctx) : d);
  }

  /** Word-vector columns followed by the article columns of `ctx` (zeros without it). */
  withArticleColumns(dense: Float32Array | undefined, ctx: ArticleContext | undefined): Float32Array {
    const n = dense?.length ?? 0;
    const out = new Float32Array(n + this.articleDim);
    if (dense) out.set(dense);
    if (ctx?.dense) out.set(ctx.dense, n);
    return out;
  }

  /**
   * The same vector from the features' FNV-1a hashes (features.ts
   * mentionFeatureHashes, plus those of the side features); a model with dense
   * columns needs `dense`: the word-vector columns (dense.ts mentionDense)
   * followed by the article columns.
   */
  vectorFromHashes(hashes: ArrayLike<number>, dense?: Float32Array): SparseVec {
    return this.withDense(this.hashedFromHashes(hashes), dense);
  }

  /** Appends the dense columns (after the kept buckets); a model without them ignores `dense`. */
  private withDense(v: SparseVec, d: Float32Array | undefined): SparseVec {
    const dim = this.denseDim + this.articleDim;
    if (!dim) return v;
    if (!d || d.length !== dim) throw new Error(`the roles model needs ${dim} dense features per mention (dense.ts, side.ts), got ${d?.length ?? 'none'}`);
    return appendDense(v, d, this.buckets.length);
  }

  /** Bucket → kept column + 1 (0: not kept) when kept columns rise with their buckets, else null (scorer.ts writes rows through it). */
  get columnOfBucket(): Int32Array | null {
    return this.ascending ? this.colOf : null;
  }

  private hashedFromHashes(hashes: ArrayLike<number>): SparseVec {
    const v = hashNumbers(hashes, this.bits);
    if (!this.ascending) return remap(v, this.col);
    // remap() without the Map and the sort: kept buckets map to columns in the same order
    const idx = new Int32Array(v.idx.length);
    const val = new Float32Array(v.idx.length);
    let n = 0;
    let ss = 0;
    for (let k = 0; k < v.idx.length; k++) {
      const c = this.colOf[v.idx[k]];
      if (c === 0) continue;
      idx[n] = c - 1;
      val[n++] = v.val[k];
      ss += v.val[k] * v.val[k];
    }
    const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
    for (let k = 0; k < n; k++) val[k] = val[k] * inv;
    return { idx: idx.slice(0, n), val: val.slice(0, n) };
  }

  /** `ctx`: the article's context (articleContext); without it a session-4 model sees no side features and neutral article columns. */
  predict(features: string[], dense?: Float32Array, ctx?: ArticleContext): RolePrediction {
    return decodeRoles(this.classifier.proba(this.vector(features, dense, ctx)));
  }

  toJSON(): RoleModelJSON {
    return {
      bits: this.bits,
      buckets: encodeArray(this.buckets),
      ...(this.denseDim ? { dense: this.denseDim } : {}),
      classifier: this.classifier.toJSON(true),
      // the side classifier is small: float weights, so it decides exactly as in cross-validation
      ...(this.side ? { side: this.side.stance ? { stance: this.side.stance.model.toJSON(false) } : {} } : {}),
      ...(this.articleRoles ? { articleRoles: { model: this.articleRoles.model.toJSON(true), share: [...this.articleRoles.share], scale: this.articleRoles.scale } } : {}),
    };
  }

  static fromJSON(j: RoleModelJSON): RoleModel {
    const side = j.side ? { stance: j.side.stance ? new StanceModel(ArticleModel.fromJSON(j.side.stance)) : null } : null;
    const art = j.articleRoles ? new ArticleRolesModel(ArticleModel.fromJSON(j.articleRoles.model), Float64Array.from(j.articleRoles.share), j.articleRoles.scale) : null;
    return new RoleModel(j.bits, decodeInt32(j.buckets), MultiLabelLogReg.fromJSON(j.classifier), j.dense ?? 0, side, art);
  }
}

/** `v` (columns below `offset`) followed by the dense values at columns offset, offset + 1, … (zeros left out). */
export function appendDense(v: SparseVec, dense: Float32Array, offset: number): SparseVec {
  let nz = 0;
  for (let d = 0; d < dense.length; d++) if (dense[d] !== 0) nz++;
  const idx = new Int32Array(v.idx.length + nz);
  const val = new Float32Array(v.idx.length + nz);
  idx.set(v.idx);
  val.set(v.val);
  for (let d = 0, k = v.idx.length; d < dense.length; d++) {
    if (dense[d] === 0) continue;
    idx[k] = offset + d;
    val[k++] = dense[d];
  }
  return { idx, val };
}

export function remap(v: SparseVec, col: Map<number, number>): SparseVec {
  const pairs: [number, number][] = [];
  let ss = 0;
  for (let k = 0; k < v.idx.length; k++) {
    const c = col.get(v.idx[k]);
    if (c === undefined) continue;
    pairs.push([c, v.val[k]]);
    ss += v.val[k] * v.val[k];
  }
  pairs.sort((a, b) => a[0] - b[0]);
  const inv = ss > 0 ? 1 / Math.sqrt(ss) : 0;
  return { idx: Int32Array.from(pairs.map((p) => p[0])), val: Float32Array.from(pairs.map((p) => p[1] * inv)) };
}

/** Probabilities in ROLE_LABELS order → one main role and one fine role. */
export function decodeRoles(p: ArrayLike<number>): RolePrediction {
  const nm = MAIN_ROLES.length;
  let z = 0;
  for (let m = 0; m < nm; m++) z += p[m];
  const pMain = new Map(MAIN_ROLES.map((m, i) => [m, z > 0 ? p[i] / z : 1 / nm]));
  const ranked = FINE_ROLES.map((role, i) => ({ role, p: p[nm + i], s: p[nm + i] * pMain.get(mainRoleOf(role)!)! }));
  ranked.sort((a, b) => b.s - a.s);
  const best = ranked[0];
  const main = mainRoleOf(best.role)!;
  return {
    main,
    mainConfidence: pMain.get(main)!,
    fine: best.role,
    fineConfidence: best.p,
    ranked: ranked.map(({ role, p: q }) => ({ role, p: q })),
  };
}
