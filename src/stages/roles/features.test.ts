import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv } from '../../ml/index.ts';
import { docTokens, mentionFeatureHashes, mentionFeatureStrings, sentenceAround } from './features.ts';
import { denseFromFeatures, mentionDense } from './dense.ts';

// Invented text with curly apostrophes, cue words (war, climate, attack, peace), a title line and repeats,
// so every feature kind of mentionFeatureStrings occurs.
const text =
  'Kell’s Border Guard Attacks Ostrel Villages\n\n' +
  'The Border Guard of Kell shelled two villages near Ostrel on Tuesday, officials said, in a war that has ' +
  'displaced thousands. Envoy Mara Tollen urged peace talks — “enough,” she said — and blamed the guard’s commanders. ' +
  'Climate activists in Ostrel said the fighting had also burned the forests. The Border Guard denied it.';

test('mention hashes are exactly the hashes of the mention feature strings, for every mention', () => {
  const mentions = ['Border Guard', 'Kell', 'Ostrel', 'Mara Tollen', 'the guard’s commanders', 'Climate activists', 'forests', 'The Border Guard'];
  const fromStrings = docTokens(text);
  const fromHashes = docTokens(text);
  let checked = 0;
  for (const m of mentions) {
    for (let start = text.indexOf(m); start >= 0; start = text.indexOf(m, start + 1)) {
      const [sentStart, sentEnd] = sentenceAround(text, start, start + m.length);
      const ctx = { text, start, end: start + m.length, sentStart, sentEnd };
      const want = mentionFeatureStrings(ctx, fromStrings).map((s) => fnv(s)).sort((a, b) => a - b);
      const got = mentionFeatureHashes(ctx, fromHashes).sort((a, b) => a - b);
      assert.deepEqual(got, want, m);
      checked++;
    }
  }
  assert.ok(checked >= mentions.length);
});

test('word-vector blocks from the tokens equal those from the feature strings, and stay inside the sentence', () => {
  const dt = docTokens(text);
  let checked = 0;
  for (const m of ['Border Guard', 'Kell', 'Ostrel', 'Mara Tollen', 'the guard’s commanders', 'Climate activists', 'forests']) {
    for (let start = text.indexOf(m); start >= 0; start = text.indexOf(m, start + 1)) {
      const [sentStart, sentEnd] = sentenceAround(text, start, start + m.length);
      const ctx = { text, start, end: start + m.length, sentStart, sentEnd };
      assert.deepEqual(mentionDense(ctx, dt), denseFromFeatures(mentionFeatureStrings(ctx, dt)), m);
      checked++;
    }
  }
  assert.ok(checked >= 7);
  // "The Border Guard denied it." ends the text: nothing to its left is in its sentence, so the left block is zero
  const start = text.lastIndexOf('Border Guard');
  const [sentStart, sentEnd] = sentenceAround(text, start, start + 12);
  const v = mentionDense({ text, start, end: start + 12, sentStart, sentEnd }, dt);
  const dim = v.length / 4;
  const norm = (b: number) => Math.hypot(...v.subarray(b * dim, (b + 1) * dim));
  assert.equal(norm(0), 0, 'left block');
  assert.ok(Math.abs(norm(1) - 1) < 1e-5, 'right block ("denied")');
  assert.ok(Math.abs(norm(3) - 1) < 1e-5, 'mention block');
});
