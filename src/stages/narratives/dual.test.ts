import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng, type SparseVec } from '../../ml/index.ts';
import { gram, trainDual } from './dual.ts';

// Random sparse rows with a planted rule: label 0 when feature 3 or 7 is present, label 1 for feature 11.
function data(n: number, F: number, seed: number): { rows: SparseVec[]; y: number[][] } {
  const r = rng(seed);
  const rows: SparseVec[] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const s = new Set<number>();
    for (let k = 0; k < 8; k++) s.add(Math.floor(r() * F));
    const idx = Int32Array.from([...s].sort((a, b) => a - b));
    const val = Float32Array.from(idx, () => 0.2 + r());
    rows.push({ idx, val });
    const ys: number[] = [];
    if (s.has(3) || s.has(7)) ys.push(0);
    if (s.has(11)) ys.push(1);
    y.push(ys);
  }
  return { rows, y };
}

test('the Gram matrix holds every pair of rows\' dot product plus the squared bias', () => {
  const { rows } = data(30, 40, 1);
  const K = gram(rows, 40, 2);
  for (let i = 0; i < 30; i++) for (let j = 0; j < 30; j++) {
    let s = 4;
    for (let a = 0; a < rows[i].idx.length; a++) for (let b = 0; b < rows[j].idx.length; b++) if (rows[i].idx[a] === rows[j].idx[b]) s += rows[i].val[a] * rows[j].val[b];
    assert.ok(Math.abs(K[i * 30 + j] - s) < 1e-5, `K[${i},${j}]`);
  }
});

test('the dual solution is the regularised logistic regression optimum (primal gradient ≈ 0) and separates the planted labels', () => {
  const F = 25;
  const { rows, y } = data(120, F, 2);
  const C = 2;
  const posWeight = [1.5, 3];
  const m = trainDual(rows, y, ['a', 'b'], F, { C, posWeight, tol: 1e-4, maxEpochs: 2000, seed: 3 });
  for (let l = 0; l < 2; l++) {
    // gradient of ½‖w‖² + ½b² + Σ C_i log(1 + exp(−y_i(w·x_i + b))) with the bias as a constant feature 1
    const g = new Float64Array(F + 1);
    for (let f = 0; f < F; f++) g[f] = m.w[f * 2 + l];
    g[F] = m.b[l];
    rows.forEach((row, i) => {
      const pos = y[i].includes(l);
      const yi = pos ? 1 : -1;
      const Ci = C * (pos ? posWeight[l] : 1);
      const z = m.decision(row)[l];
      const coef = -Ci * yi / (1 + Math.exp(yi * z));
      for (let k = 0; k < row.idx.length; k++) g[row.idx[k]] += coef * row.val[k];
      g[F] += coef;
    });
    const norm = Math.sqrt(g.reduce((a, v) => a + v * v, 0));
    assert.ok(norm < 1e-2, `label ${l}: gradient norm ${norm}`);
  }
  let right = 0;
  rows.forEach((row, i) => {
    const p = m.proba(row);
    if ((p[0] >= 0.5) === y[i].includes(0) && (p[1] >= 0.5) === y[i].includes(1)) right++;
  });
  assert.ok(right / rows.length > 0.9, `training accuracy ${right / rows.length}`);
});

test('a label trained on a row subset gets the weights of a model trained on those rows alone', () => {
  const F = 25;
  const { rows, y } = data(150, F, 4);
  // label 1 learns only from the rows that carry label 0 (as a subnarrative learns only from its parent's documents)
  const sub = Int32Array.from(y.flatMap((ys, i) => (ys.includes(0) ? [i] : [])));
  assert.ok(sub.length > 20 && sub.length < 130);
  const opts = { C: 2, tol: 1e-5, maxEpochs: 3000, seed: 5 };
  const conditional = trainDual(rows, y, ['a', 'b'], F, { ...opts, rowSubsets: [null, sub] });
  const alone = trainDual([...sub].map((i) => rows[i]), [...sub].map((i) => y[i]), ['a', 'b'], F, opts);
  const pooled = trainDual(rows, y, ['a', 'b'], F, opts);
  let maxDiff = 0;
  let pooledDiff = 0;
  for (let f = 0; f < F; f++) {
    maxDiff = Math.max(maxDiff, Math.abs(conditional.w[f * 2 + 1] - alone.w[f * 2 + 1]));
    pooledDiff = Math.max(pooledDiff, Math.abs(pooled.w[f * 2 + 1] - alone.w[f * 2 + 1]));
  }
  assert.ok(maxDiff < 1e-3, `weight difference ${maxDiff}`);
  assert.ok(Math.abs(conditional.b[1] - alone.b[1]) < 1e-3);
  // the subset matters: training on every row gives other weights; label 0 still learns from every row
  assert.ok(pooledDiff > 0.05, `pooled difference ${pooledDiff}`);
  for (let f = 0; f < F; f++) assert.ok(Math.abs(conditional.w[f * 2] - pooled.w[f * 2]) < 1e-3);
});
