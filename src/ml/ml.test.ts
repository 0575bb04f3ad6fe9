import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyPlatt,
  BucketTable,
  coordinateSearch,
  fitPlatt,
  groupKFold,
  HashedTfidf,
  hashFeatures,
  meanStd,
  microF1At,
  multiLabelF1,
  MultiLabelLogReg,
  reliabilityTable,
  rng,
  RowBuffer,
  tokenHashes,
  tuneThresholds,
  wordTokens,
} from './index.ts';

const spec = { wordNgrams: [1, 2], charNgrams: [2, 4] as [number, number], bits: 18 };

test('hashing is deterministic and separates word from character features', () => {
  const a: number[] = [];
  const b: number[] = [];
  hashFeatures('Quiet harbour town', wordTokens('Quiet harbour town'), spec, (x) => a.push(x));
  hashFeatures('Quiet harbour town', wordTokens('Quiet harbour town'), spec, (x) => b.push(x));
  assert.deepEqual(a, b);
  // 3 unigrams + 2 bigrams + char n-grams of " quiet " etc.
  const words: number[] = [];
  hashFeatures('x', ['quiet', 'harbour', 'town'], { wordNgrams: [1, 2], charNgrams: null, bits: 18 }, (x) => words.push(x));
  assert.equal(words.length, 5);
});

test('tokenizer keeps inner apostrophes and hyphens, splits punctuation, handles any script', () => {
  assert.deepEqual(wordTokens('Don’t re-elect them!'), ["don't", 're-elect', 'them', '!']);
  assert.deepEqual(wordTokens('Привет, мир'), ['привет', ',', 'мир']);
});

test('vectorizer drops rare features, output is L2-normalised', () => {
  const docs = ['the red kite', 'the red barn', 'a blue kite', 'the blue barn'];
  const v = HashedTfidf.fit(docs, { wordNgrams: [1], charNgrams: null, bits: 16 }, { minDf: 2 });
  assert.equal(v.size, 5); // the, red, kite, barn, blue (a appears once)
  const x = v.transform('the red kite kite');
  let s = 0;
  for (const z of x.val) s += z * z;
  assert.ok(Math.abs(s - 1) < 1e-6);
  assert.equal(v.transform('unseen words only').idx.length, 0);
  const back = HashedTfidf.fromJSON(JSON.parse(JSON.stringify(v.toJSON())));
  assert.deepEqual([...back.transform('the red kite').val], [...v.transform('the red kite').val]);
});

test('logistic regression learns two independent labels and survives quantised round-trip', () => {
  const rand = rng(7);
  const words = ['storm', 'calm', 'bright', 'dull', 'pear', 'plum', 'oak', 'elm'];
  const texts: string[] = [];
  const y: number[][] = [];
  for (let i = 0; i < 400; i++) {
    const picked = words.filter(() => rand() < 0.4);
    texts.push(picked.join(' '));
    const ys: number[] = [];
    if (picked.includes('storm')) ys.push(0);
    if (picked.includes('bright')) ys.push(1);
    y.push(ys);
  }
  const v = HashedTfidf.fit(texts, { wordNgrams: [1], charNgrams: null, bits: 16 }, { minDf: 1 });
  const rows = texts.map((t) => v.transform(t));
  const m = MultiLabelLogReg.train(rows, y, ['A', 'B'], v.size, { epochs: 10, seed: 3 });
  const p = m.proba(v.transform('storm oak'));
  assert.ok(p[0] > 0.8 && p[1] < 0.2, `${p[0]} ${p[1]}`);
  const q = MultiLabelLogReg.fromJSON(JSON.parse(JSON.stringify(m.toJSON(true))));
  const p2 = q.proba(v.transform('storm oak'));
  assert.ok(Math.abs(p2[0] - p[0]) < 0.02 && Math.abs(p2[1] - p[1]) < 0.02);
  // same seed, same model
  const m2 = MultiLabelLogReg.train(rows, y, ['A', 'B'], v.size, { epochs: 10, seed: 3 });
  assert.deepEqual([...m2.w], [...m.w]);
});

test('group k-fold keeps every group in one fold and balances sizes', () => {
  const groups = Array.from({ length: 300 }, (_, i) => `art${i % 37}`);
  const folds = groupKFold(groups, 5, 11);
  const seen = new Map<string, number>();
  groups.forEach((g, i) => {
    if (seen.has(g)) assert.equal(seen.get(g), folds[i]);
    seen.set(g, folds[i]);
  });
  const sizes = [0, 1, 2, 3, 4].map((f) => folds.filter((x) => x === f).length);
  assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 9, String(sizes));
  assert.deepEqual(meanStd([1, 3]), { mean: 2, std: Math.SQRT2 });
});

test('Platt scaling maps scores to observed frequencies', () => {
  const rand = rng(5);
  const s: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < 4000; i++) {
    const score = rand() * 8 - 4;
    s.push(score);
    // true probability = sigmoid(0.5 * score - 1)
    y.push(rand() < 1 / (1 + Math.exp(-(0.5 * score - 1))) ? 1 : 0);
  }
  const p = fitPlatt(s, y);
  assert.ok(Math.abs(p.a - 0.5) < 0.1 && Math.abs(p.b + 1) < 0.15, JSON.stringify(p));
  assert.ok(Math.abs(applyPlatt(p, 2) - 0.5) < 0.05);
});

test('threshold tuning finds the cut that separates, and switches off a label that only adds noise', () => {
  const probs: number[][] = [];
  const gold: number[][] = [];
  const rand = rng(9);
  for (let i = 0; i < 600; i++) {
    const pos = rand() < 0.3;
    // label 0: positives score 0.3-0.5, negatives 0-0.25; label 1: pure noise with few positives
    const p0 = pos ? 0.3 + rand() * 0.2 : rand() * 0.25;
    const g1 = rand() < 0.1;
    probs.push([p0, rand()]);
    gold.push([pos ? 1 : 0, g1 ? 1 : 0]);
  }
  const r = tuneThresholds(probs, gold, { minPositives: 10, shrink: 0 });
  assert.ok(r.thresholds[0] > 0.25 && r.thresholds[0] <= 0.3, String(r.thresholds[0]));
  assert.equal(r.thresholds[1], Infinity);
  const globalOnly = tuneThresholds(probs, gold, { rounds: 0 });
  assert.ok(r.microF1 > globalOnly.microF1, `${r.microF1} vs ${globalOnly.microF1}`);
  assert.equal(microF1At(probs, gold, r.thresholds), r.microF1);
});

test('reliability table: perfectly calibrated scores have near-zero ECE', () => {
  const rand = rng(2);
  const probs: number[][] = [];
  const gold: number[][] = [];
  for (let i = 0; i < 20000; i++) {
    const p = rand();
    probs.push([p]);
    gold.push([rand() < p ? 1 : 0]);
  }
  const r = reliabilityTable(probs, gold, 10);
  assert.equal(r.table.reduce((a, b) => a + b.n, 0), 20000);
  assert.ok(r.ece < 0.02, String(r.ece));
});

test('multi-label F1 follows the scorer convention for absent labels', () => {
  const r = multiLabelF1([['A'], [], ['A', 'B']], [['A'], ['B'], ['A']], ['A', 'B', 'C']);
  // A: tp 2; B: fp 1, fn 1; C: nothing -> 1
  assert.equal(r.micro.tp, 2);
  assert.equal(r.micro.f1, 4 / 6);
  assert.equal(r.perLabel.C.f1, 1);
  assert.equal(r.macroF1, (1 + 0 + 1) / 3);
});

test('Platt scaling stays finite and sensible when the scores separate the classes', () => {
  // perfectly separated scores on two scales (small and large margins), few positives
  for (const scale of [1, 30, 1000]) {
    const s: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 200; i++) {
      const pos = i % 10 === 0;
      s.push(scale * (pos ? 1 + (i % 7) / 7 : -1 - (i % 5) / 5));
      y.push(pos ? 1 : 0);
    }
    const p = fitPlatt(s, y);
    assert.ok(Number.isFinite(p.a) && Number.isFinite(p.b), JSON.stringify(p));
    // with Platt's smoothed targets (pos+1)/(pos+2) and 1/(neg+2) the optimum is not 0 or 1
    const top = applyPlatt(p, scale * 2);
    const bottom = applyPlatt(p, -scale * 2);
    assert.ok(top > 0.9 && top < 1 - 1e-6, `scale ${scale}: top ${top}`);
    assert.ok(bottom < 0.1 && bottom > 1e-6, `scale ${scale}: bottom ${bottom}`);
    assert.ok(p.a * scale < 50, `scale ${scale}: a ${p.a}`);
  }
});

test('the vectorizer gives the same row as counting hashFeatures buckets, on repeated and long words', () => {
  const texts = [
    'Mira Olsen told the Lindenfeld council: “the harbour, the harbour, THE HARBOUR!”',
    'Приморск совет — 2026 год; l’expert a dit «non» à Brindlemoor',
    `${'x'.repeat(60)} short ${'Ab'.repeat(30)} tail`,
    'the harbour council met the harbour council',
  ];
  const spec = { wordNgrams: [1, 2], charNgrams: [2, 5] as [number, number], bits: 14 };
  const v = HashedTfidf.fit(texts, spec, { minDf: 1 });
  const table = new BucketTable(v.buckets);
  for (const rep of [0, 1]) {
    for (const t of texts) {
      // reference: term counts from hashFeatures, sublinear tf × idf, L2-normalised
      const counts = new Map<number, number>();
      hashFeatures(t, wordTokens(t), spec, (b) => {
        const c = table.get(b);
        if (c >= 0) counts.set(c, (counts.get(c) ?? 0) + 1);
      });
      const cols = [...counts.keys()].sort((a, b) => a - b);
      const vals = cols.map((c) => (1 + Math.log(counts.get(c)!)) * v.idf[c]);
      const norm = Math.sqrt(vals.reduce((s, x) => s + x * x, 0));
      const row = v.transform(t);
      assert.deepEqual([...row.idx], cols, `pass ${rep}`);
      row.val.forEach((x, i) => assert.ok(Math.abs(x - vals[i] / norm) < 1e-6));
    }
  }
});

test('transformInto, transformWithCounts and countColumns agree with transform and the bucket counts', () => {
  const texts = ['the harbour council met the harbour council', 'Mira Olsen: “the HARBOUR, the harbour!”', 'Приморск совет'];
  const spec = { wordNgrams: [1, 2], charNgrams: [2, 4] as [number, number], bits: 14 };
  const v = HashedTfidf.fit(texts, spec, { minDf: 1 });
  const buf = new RowBuffer(4);
  buf.pushDense([0, 2.5], 1000);
  for (const t of texts) {
    const row = v.transform(t);
    const start = buf.n;
    v.transformInto(buf, t);
    assert.deepEqual([...buf.idx.subarray(start, buf.n)], [...row.idx]);
    assert.deepEqual([...buf.val.subarray(start, buf.n)], [...row.val]);
    const wc = v.transformWithCounts(t, tokenHashes(t));
    assert.deepEqual([...wc.idx], [...row.idx]);
    assert.deepEqual([...wc.val], [...row.val]);
    const cc = v.countColumns(t);
    assert.deepEqual([...cc.cols], [...row.idx]);
    assert.deepEqual([...cc.counts], [...wc.counts]);
    assert.deepEqual([...v.columnCounts(t)], [...cc.cols].map((c, k) => [c, cc.counts[k]]));
  }
  assert.deepEqual([buf.idx[0], buf.val[0]], [1001, 2.5]);
});

test('the generated dot-product kernel gives exactly the plain loop’s scores', () => {
  const rand = rng(5);
  for (const L of [1, 3, 14, 23, 70]) {
    const nF = 50;
    const m = new MultiLabelLogReg(Array.from({ length: L }, (_, l) => `l${l}`), nF);
    for (let i = 0; i < m.w.length; i++) m.w[i] = (rand() - 0.5) * 3;
    for (let l = 0; l < L; l++) m.b[l] = rand() - 0.5;
    const q = MultiLabelLogReg.fromJSON(JSON.parse(JSON.stringify(m.toJSON(true))));
    for (let r = 0; r < 20; r++) {
      const cols = [...new Set(Array.from({ length: 12 }, () => Math.floor(rand() * (nF + 5))))].sort((a, b) => a - b);
      const idx = Int32Array.from(cols);
      const val = Float32Array.from(cols, () => rand());
      for (const model of [m, q]) {
        // reference: feature by feature, labels inside, columns past nFeatures skipped
        const ref = new Float64Array(L);
        for (let l = 0; l < L; l++) ref[l] = model.q ? 0 : model.b[l];
        for (let k = 0; k < idx.length; k++) {
          if (idx[k] >= nF) continue;
          for (let l = 0; l < L; l++) ref[l] += (model.q ? model.q[idx[k] * L + l] : model.w[idx[k] * L + l]) * val[k];
        }
        if (model.q) for (let l = 0; l < L; l++) ref[l] = ref[l] * model.qScale![l] + model.b[l];
        assert.deepEqual([...model.decision({ idx, val })], [...ref], `L=${L}`);
      }
    }
  }
});

test('coordinate search finds per-class offsets, keeps the anchor at 0 and prefers small offsets on ties', () => {
  const grid = [-1, -0.5, 0, 0.5, 1];
  // optimum at [0, 0.5, -1]; class 0 is the anchor
  const target = [0, 0.5, -1];
  const best = coordinateSearch(3, 0, grid, (o) => -o.reduce((a, v, i) => a + (v - target[i]) ** 2, 0));
  assert.deepEqual(best, target);
  // a flat score: nothing beats the initial zeros
  assert.deepEqual(coordinateSearch(3, 1, grid, () => 1), [0, 0, 0]);
  // the anchor is never moved even when moving it would score higher
  assert.equal(coordinateSearch(2, 0, grid, (o) => o[0] + o[1])[0], 0);
});
