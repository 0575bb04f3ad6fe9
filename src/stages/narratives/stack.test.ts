import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitDenseLR, predictDenseLR, meanVector, sifWeight, labelVectors, roughSentences, type VectorTable } from './stack.ts';

test('the dense logistic regression learns a separable rule and ranks new points by it', () => {
  const X: Float64Array[] = [];
  const y: number[] = [];
  for (let i = 0; i < 40; i++) {
    const a = (i % 10) / 10, b = ((i * 7) % 10) / 10;
    X.push(Float64Array.from([a, b]));
    y.push(a + 0.2 * b > 0.6 ? 1 : 0);
  }
  const m = fitDenseLR(X, y, null, 0.1);
  assert.ok(predictDenseLR(m, [0.95, 0.5]) > 0.9);
  assert.ok(predictDenseLR(m, [0.05, 0.5]) < 0.1);
  // a heavy penalty pulls every prediction towards the base rate
  const flat = fitDenseLR(X, y, null, 1e6);
  const rate = y.reduce((s, v) => s + v, 0) / y.length;
  assert.ok(Math.abs(predictDenseLR(flat, [0.95, 0.5]) - rate) < 0.05);
  // sample weights move the intercept
  const heavy = fitDenseLR(X, y, y.map((v) => (v ? 5 : 1)), 1e6);
  assert.ok(predictDenseLR(heavy, [0.5, 0.5]) > predictDenseLR(flat, [0.5, 0.5]) + 0.2);
});

// ids are frequency ranks: 'the' is the most frequent word, the others rare
const ranks: Record<string, number> = { the: 0, wind: 4000, turbine: 9000, war: 700 };
const vecs: Record<number, number[]> = { 0: [1, 0, 0], 4000: [0, 1, 0], 9000: [0, 0.8, 0.6], 700: [0, 0, 1] };
const table: VectorTable = {
  dim: 3,
  id: (w) => ranks[w] ?? -1,
  vector: (id, out = new Float32Array(3)) => {
    out.set(vecs[id]);
    return out;
  },
};

test('mean vectors weight frequent words down and skip unknown ones', () => {
  assert.ok(sifWeight(0) < sifWeight(3));
  const v = meanVector(table, ['the', 'wind', 'zzz'])!;
  assert.ok(v[1] > 0.99 && v[0] < 0.1, 'the frequent word barely counts');
  assert.equal(meanVector(table, ['zzz']), null);
  assert.deepEqual(roughSentences('One. Two!\n\nThree?'), ['One.', 'Two!', 'Three?']);
});

test('label vectors exist for narratives and subnarratives, not for Other', () => {
  const lv = labelVectors(table, ['Other', 'URW: Blaming the war on others rather than the invader']);
  assert.equal(lv[0], null);
  assert.ok(lv[1] && lv[1][2] > 0.5, 'the war narrative points at the war word');
});
