import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { segment } from '../../segment/index.ts';
import { evidenceUnits } from '../frames/evidence.ts';
import { genreModel } from './index.ts';
import { CharNgramScorer } from './fast.ts';

const read = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');

test('the one-pass English n-gram scorer gives exactly the scores and sentence shares of DocModel', () => {
  const m = genreModel();
  const scorer = CharNgramScorer.forLanguage(m, 'en');
  assert.ok(scorer, 'the English genre submodel hashes character n-grams only');
  for (const text of [read('wire-report.txt'), read('opinion-column.txt'), read('satire.txt'), 'One line, no full stop', '']) {
    const units = evidenceUnits(segment(text).segments, text);
    const pass = scorer.run(text, units);
    assert.ok(pass);
    assert.deepEqual(Array.from(pass.scores), Array.from(m.predict(text, 'en').scores));
    assert.deepEqual(pass.contrib.map((c) => Array.from(c)), m.contributions(text, 'en', units, [0, 1, 2]));
  }
});

test('a sentence boundary inside a word is counted as DocModel counts it (the piece inside the sentence)', () => {
  const m = genreModel();
  const scorer = CharNgramScorer.forLanguage(m, 'en')!;
  const text = 'Officials said the bridge reopened."Next week," the mayor added.';
  const cut = text.indexOf('"Next');
  const units = [{ start: 0, end: cut }, { start: cut, end: text.length }];
  const pass = scorer.run(text, units)!;
  assert.deepEqual(pass.contrib.map((c) => Array.from(c)), m.contributions(text, 'en', units, [0, 1, 2]));
});

test('overlapping units and word n-gram languages take the DocModel path', () => {
  const m = genreModel();
  const scorer = CharNgramScorer.forLanguage(m, 'en')!;
  assert.equal(scorer.run('Alpha beta. Gamma delta.', [{ start: 0, end: 11 }, { start: 5, end: 24 }]), null);
  assert.equal(CharNgramScorer.forLanguage(m, 'it'), null);
});
