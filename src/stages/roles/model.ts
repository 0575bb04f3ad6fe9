/**
 * The entity-role classifier (SemEval-2025 Task 10 subtask 1): hashed mention
 * features (features.ts) → one-vs-rest logistic regression over the 3 main
 * roles and the 22 fine roles. Decoding picks the one fine role that
 * maximises p(fine) · p(its main role) (main probabilities normalised over
 * the three), and reports its main role; cross-validation found a single role
 * better for exact match than several. Models trained with word vectors
 * append 400 dense columns (dense.ts) after the hashed ones.
 */
import { decodeInt32, encodeArray, MultiLabelLogReg, type LogRegJSON, type SparseVec } from '../../ml/index.ts';
import { FINE_ROLES, MAIN_ROLES, mainRoleOf } from '../../corpora/semeval2025/taxonomy.ts';
import { hashNumbers, hashStrings } from './features.ts';
import { denseFromFeatures } from './dense.ts';

export const ROLE_LABELS = [...MAIN_ROLES, ...FINE_ROLES];

export interface RoleModelJSON {
  bits: number;
  /** Hash buckets kept (seen in ≥ 2 training mentions), ascending; column i is buckets[i]. */
  buckets: string;
  /** Dense word-vector columns appended after the hashed ones (dense.ts); absent or 0 in models without them. */
  dense?: number;
  classifier: LogRegJSON;
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

  /**
   * Hashed features restricted to the kept buckets (re-normalised), then, when
   * the model has them, the word-vector columns: `dense` or, without it, those
   * computed from the feature strings (dense.ts denseFromFeatures).
   */
  vector(features: string[], dense?: Float32Array): SparseVec {
    return this.withDense(remap(hashStrings(features, this.bits), this.col), dense, features);
  }

  /** The same vector from the features' FNV-1a hashes (features.ts mentionFeatureHashes); a model with word-vector columns needs `dense` (dense.ts mentionDense). */
  vectorFromHashes(hashes: ArrayLike<number>, dense?: Float32Array): SparseVec {
    return this.withDense(this.hashedFromHashes(hashes), dense);
  }

  /** Appends the dense columns (after the kept buckets); a model without them ignores `dense`. */
  private withDense(v: SparseVec, dense: Float32Array | undefined, features?: string[]): SparseVec {
    if (!this.denseDim) return v;
    const d = dense ?? (features ? denseFromFeatures(features) : undefined);
    if (!d || d.length !== this.denseDim) throw new Error(`the roles model needs ${this.denseDim} word-vector features per mention (dense.ts), got ${d?.length ?? 'none'}`);
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

  predict(features: string[], dense?: Float32Array): RolePrediction {
    return decodeRoles(this.classifier.proba(this.vector(features, dense)));
  }

  toJSON(): RoleModelJSON {
    return { bits: this.bits, buckets: encodeArray(this.buckets), ...(this.denseDim ? { dense: this.denseDim } : {}), classifier: this.classifier.toJSON(true) };
  }

  static fromJSON(j: RoleModelJSON): RoleModel {
    return new RoleModel(j.bits, decodeInt32(j.buckets), MultiLabelLogReg.fromJSON(j.classifier), j.dense ?? 0);
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
