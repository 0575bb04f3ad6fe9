import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FormatError, mergeIntervals, scoreSpans, scoreTask1, scoreTask2, scoreTask3 } from './index.ts';

const classes = ['A', 'B', 'C'];
const row = (article: string, paragraph: number, labels: string[]) => ({ article, paragraph, labels });

test('task 3: micro-F1 over (paragraph, label) pairs and macro with absent labels counting 1', () => {
  const gold = [row('1', 1, ['A']), row('1', 3, ['A', 'B']), row('2', 1, [])];
  const pred = [row('1', 1, ['A', 'B']), row('1', 3, ['A']), row('2', 1, [])];
  const s = scoreTask3(gold, pred, classes);
  // pairs: tp = 2 (A@1, A@3), fp = 1 (B@1), fn = 1 (B@3)
  assert.equal(s.micro.tp, 2);
  assert.equal(s.micro.fp, 1);
  assert.equal(s.micro.fn, 1);
  assert.equal(s.microF1, 4 / 6);
  // A: F1 1; B: tp 0 fp 1 fn 1 -> 0; C: absent everywhere -> 1 (zero_division = 1)
  assert.equal(s.macroF1, 2 / 3);
  assert.equal(s.perLabel.B.f1, 0);
});

test('task 3: all-empty gold and predictions score 1, like the official scorer', () => {
  const s = scoreTask3([row('1', 1, [])], [row('1', 1, [])], classes);
  assert.equal(s.microF1, 1);
});

test('task 3: prediction files must cover exactly the gold paragraphs and use valid labels', () => {
  assert.throws(() => scoreTask3([row('1', 1, []), row('1', 3, [])], [row('1', 1, [])], classes), FormatError);
  assert.throws(() => scoreTask3([row('1', 1, [])], [row('1', 1, ['Z'])], classes), /invalid label/);
  assert.throws(() => scoreTask3([row('1', 1, [])], [row('1', 1, []), row('1', 1, [])], classes), /duplicate/);
});

test('task 2 uses the same pair counting over articles', () => {
  const s = scoreTask2(
    [{ article: '5', labels: ['A', 'C'] }, { article: '6', labels: ['B'] }],
    [{ article: '5', labels: ['A'] }, { article: '6', labels: ['B', 'C'] }],
    classes,
  );
  // tp 2, fp 1 (C@6), fn 1 (C@5)
  assert.equal(s.microF1, 4 / 6);
  // A 1, B 1, C 0
  assert.equal(s.macroF1, 2 / 3);
});

test('task 1: macro over classes present in gold or predictions', () => {
  const gold = [
    { article: '1', labels: ['opinion'] },
    { article: '2', labels: ['opinion'] },
    { article: '3', labels: ['reporting'] },
    { article: '4', labels: ['reporting'] },
  ];
  const pred = [
    { article: '1', labels: ['opinion'] },
    { article: '2', labels: ['satire'] },
    { article: '3', labels: ['reporting'] },
    { article: '4', labels: ['opinion'] },
  ];
  const s = scoreTask1(gold, pred);
  // opinion: tp1 fp1 fn1 -> 0.5; reporting: tp1 fn1 -> 2/3; satire: fp1 -> 0
  assert.equal(s.macroF1, (0.5 + 2 / 3 + 0) / 3);
  assert.equal(s.microF1, 0.5);
  assert.equal(Object.keys(s.perClass).length, 3);
});

test('spans: overlap-weighted precision and recall, hand-computed', () => {
  // gold: [0,10) and [20,30); pred: [5,15) overlaps 5 of gold 1; [20,25) overlaps 5 of gold 2
  const gold = [
    { article: '1', technique: 'A', start: 0, end: 10 },
    { article: '1', technique: 'B', start: 20, end: 30 },
  ];
  const pred = [
    { article: '1', technique: 'A', start: 5, end: 15 },
    { article: '1', technique: 'A', start: 20, end: 25 },
  ];
  const s = scoreSpans(gold, pred);
  // P = (5/10 + 5/5) / 2 = 0.75; R = (5/10 + 5/10) / 2 = 0.5
  assert.equal(s.identification.precision, 0.75);
  assert.equal(s.identification.recall, 0.5);
  assert.equal(s.identification.f1, 0.6);
  // labelled: only A vs A counts: P = (5/10 + 0) / 2 = 0.25; R = (5/10 + 0) / 2 = 0.25
  assert.equal(s.labelled.precision, 0.25);
  assert.equal(s.labelled.recall, 0.25);
});

test('spans: overlapping spans are merged before scoring; articles missing on either side count', () => {
  assert.deepEqual(mergeIntervals([[5, 8], [0, 6], [10, 12], [8, 9]]), [[0, 9], [10, 12]]);
  const gold = [
    { article: '1', technique: 'A', start: 0, end: 4 },
    { article: '2', technique: 'A', start: 0, end: 4 },
  ];
  const pred = [
    { article: '1', technique: 'A', start: 0, end: 4 },
    { article: '1', technique: 'B', start: 2, end: 4 },
  ];
  const s = scoreSpans(gold, pred);
  // merged pred in article 1 = [0,4): P = 1; R = (1 + 0) / 2
  assert.equal(s.identification.precision, 1);
  assert.equal(s.identification.recall, 0.5);
  // a prediction in an article with no gold spans is a false positive: P = (1 + 0) / 2
  const s2 = scoreSpans(gold, [...pred, { article: '9', technique: 'A', start: 0, end: 1 }]);
  assert.equal(s2.identification.precision, 0.5);
  assert.equal(s2.identification.recall, 0.5);
  assert.throws(() => scoreSpans(gold, pred, { classes: ['A'] }), FormatError);
});
