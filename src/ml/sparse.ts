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
