import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { emptyCounts, itemOf, overlapRatio, prf, scoreItems, tokenStarts } from './score.ts';
import { runFile } from './run.ts';

const text = 'Tom Ridley, an analyst, said that the deal was dead.';
const starts = tokenStarts(text);
const span = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });

test('overlap is shared tokens over the larger item; exact needs identical token sets', () => {
  const gold = itemOf(starts, [span('Tom Ridley, an analyst,')])!;
  const head = itemOf(starts, [span('Tom Ridley')])!;
  assert.equal(gold.toks.length, 6);
  assert.equal(overlapRatio(head, gold), 2 / 6);
  const c = emptyCounts();
  scoreItems([head], [gold], c);
  assert.deepEqual(c, { pred: 1, gold: 1, exact: 0, overlap: 0 });
  const c2 = emptyCounts();
  scoreItems([itemOf(starts, [span('Tom Ridley, an analyst')])!], [gold], c2);
  assert.deepEqual(c2, { pred: 1, gold: 1, exact: 0, overlap: 1 });
  // Whitespace differences do not matter: the token sets are equal.
  const c3 = emptyCounts();
  scoreItems([itemOf(starts, [{ start: span('that the').start - 1, end: span('dead').end }])!], [itemOf(starts, [span('that the deal was dead')])!], c3);
  assert.equal(c3.exact, 1);
});

test('matching is one-to-one', () => {
  const g = itemOf(starts, [span('that the deal was dead')])!;
  const c = emptyCounts();
  scoreItems([g, g], [g], c);
  assert.deepEqual(c, { pred: 2, gold: 1, exact: 1, overlap: 1 });
  assert.deepEqual(prf(1, 2, 1), { p: 0.5, r: 1, f: 2 / 3 });
});

const dev = fileURLToPath(new URL('../../../../shared/corpora/polnear/dev.jsonl', import.meta.url));
test('PolNeAR dev: the scorer runs end to end', { skip: existsSync(dev) ? false : 'corpus absent: ../shared/corpora/polnear/dev.jsonl' }, () => {
  const r = runFile(dev, 5);
  assert.equal(r.docs, 5);
  assert.ok(r.relations > 0);
  assert.ok(r.full.content.overlap > 0, 'some gold content is found');
  assert.ok(r.full.cue.overlap <= r.full.cue.pred);
});
