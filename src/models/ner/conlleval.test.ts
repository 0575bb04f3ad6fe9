import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conlleval } from './conlleval.ts';
import { chunks } from './tags.ts';
import { toBio } from './conll.ts';

test('IOB1 tags become BIO: I- starts a chunk unless it continues one of its type', () => {
  assert.deepEqual(toBio(['I-PER', 'I-PER', 'O', 'I-LOC', 'B-LOC', 'I-ORG']), ['B-PER', 'I-PER', 'O', 'B-LOC', 'B-LOC', 'B-ORG']);
});

test('chunks read B/I runs, and a stray I- opens a new chunk as conlleval does', () => {
  assert.deepEqual(chunks(['B-PER', 'I-PER', 'O', 'I-ORG', 'B-ORG', 'I-LOC']), [
    { start: 0, end: 2, type: 'PER' },
    { start: 3, end: 4, type: 'ORG' },
    { start: 4, end: 5, type: 'ORG' },
    { start: 5, end: 6, type: 'LOC' },
  ]);
});

test('an entity counts only when span and type both match', () => {
  const gold = [['B-PER', 'I-PER', 'O', 'B-LOC'], ['B-ORG', 'O']];
  const pred = [['B-PER', 'O', 'O', 'B-LOC'], ['B-LOC', 'O']];
  const r = conlleval(gold, pred);
  // Gold: 3 entities; predicted: 3; correct: only the LOC of sentence one.
  assert.equal(r.overall.gold, 3);
  assert.equal(r.overall.predicted, 3);
  assert.equal(r.overall.correct, 1);
  assert.ok(Math.abs(r.overall.f1 - 1 / 3) < 1e-9);
  assert.equal(r.byType.PER.correct, 0);
  assert.equal(r.byType.LOC.precision, 0.5);
});
