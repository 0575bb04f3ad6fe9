import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fnv } from '../../ml/index.ts';
import { docTokens, mentionFeatureHashes, mentionFeatureStrings, sentenceAround } from './features.ts';

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
