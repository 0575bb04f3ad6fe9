/** A sparse row: sorted feature indices and their values. */
export interface SparseVec {
  idx: Int32Array;
  val: Float32Array;
}

/** Builds a SparseVec from (index → value) pairs; indices are sorted. */
export function fromMap(m: Map<number, number>): SparseVec {
  const keys = [...m.keys()].sort((a, b) => a - b);
  const idx = new Int32Array(keys.length);
  const val = new Float32Array(keys.length);
  keys.forEach((k, i) => {
    idx[i] = k;
    val[i] = m.get(k)!;
  });
  return { idx, val };
}

/** Concatenates rows whose index ranges do not overlap (b's indices shifted by `offset`). */
export function concat(a: SparseVec, b: SparseVec, offset: number): SparseVec {
  const idx = new Int32Array(a.idx.length + b.idx.length);
  const val = new Float32Array(a.idx.length + b.idx.length);
  idx.set(a.idx);
  val.set(a.val);
  for (let i = 0; i < b.idx.length; i++) {
    idx[a.idx.length + i] = b.idx[i] + offset;
    val[a.idx.length + i] = b.val[i];
  }
  return { idx, val };
}

export function l2normalize(v: SparseVec): SparseVec {
  let s = 0;
  for (let i = 0; i < v.val.length; i++) s += v.val[i] * v.val[i];
  if (s > 0) {
    const inv = 1 / Math.sqrt(s);
    for (let i = 0; i < v.val.length; i++) v.val[i] *= inv;
  }
  return v;
}

/** Dense feature vector → sparse (zeros dropped). */
export function fromDense(values: ArrayLike<number>): SparseVec {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) n++;
  const idx = new Int32Array(n);
  const val = new Float32Array(n);
  for (let i = 0, k = 0; i < values.length; i++) {
    if (values[i] !== 0) {
      idx[k] = i;
      val[k++] = values[i];
    }
  }
  return { idx, val };
}

/**
 * A growable row under construction: idx[0, n) / val[0, n). Reused across
 * rows (set `n = 0`) so hot paths build rows without allocating.
 */
export class RowBuffer {
  idx: Int32Array;
  val: Float32Array;
  n = 0;

  constructor(capacity = 1024) {
    this.idx = new Int32Array(capacity);
    this.val = new Float32Array(capacity);
  }

  /** Makes room for `extra` more entries after n. */
  reserve(extra: number): void {
    const need = this.n + extra;
    if (need <= this.idx.length) return;
    let cap = this.idx.length * 2;
    while (cap < need) cap *= 2;
    const idx = new Int32Array(cap);
    const val = new Float32Array(cap);
    idx.set(this.idx.subarray(0, this.n));
    val.set(this.val.subarray(0, this.n));
    this.idx = idx;
    this.val = val;
  }

  /** Appends the non-zero values of a dense vector at columns offset + i (as `concat(row, fromDense(values), offset)` would). */
  pushDense(values: ArrayLike<number>, offset: number): void {
    this.reserve(values.length);
    let m = this.n;
    for (let i = 0; i < values.length; i++) {
      if (values[i] !== 0) {
        this.idx[m] = i + offset;
        this.val[m++] = values[i];
      }
    }
    this.n = m;
  }

  /** A copy of the row. */
  toSparse(): SparseVec {
    return { idx: this.idx.slice(0, this.n), val: this.val.slice(0, this.n) };
  }
}
