import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNarrativeRow, formatRoleRow, scoreNarratives, scoreRoles, ScoreError, setF1 } from './index.ts';
import { parseMentionLines, parseNarrativeLines } from '../../corpora/semeval2025/index.ts';

const A = 'URW: Discrediting Ukraine';
const A1 = 'URW: Discrediting Ukraine: Discrediting Ukrainian military';
const A2 = 'URW: Discrediting Ukraine: Ukraine is a puppet of the West';
const B = 'URW: Praise of Russia';
const B1 = 'URW: Praise of Russia: Praise of Russian military might';

test('task 2: per-document F1 averaged over documents, hand-computed', () => {
  const gold = [
    { docId: 'd1', narratives: [A, B], subnarratives: [A1, B1] },
    { docId: 'd2', narratives: ['Other'], subnarratives: ['Other'] },
    { docId: 'd3', narratives: [A], subnarratives: [A1, A2] },
  ];
  const pred = [
    // d3 first: alignment is by id, not by position
    { docId: 'd3', narratives: [A], subnarratives: [A2] }, // coarse 1, fine 2·1/(2+1) = 2/3
    { docId: 'd1', narratives: [A], subnarratives: [A2] }, // coarse 2·1/(2+1) = 2/3, fine 0
    { docId: 'd2', narratives: [A], subnarratives: [A1] }, // 0, 0
  ];
  const s = scoreNarratives(gold, pred);
  assert.ok(Math.abs(s.coarse.mean - (2 / 3 + 0 + 1) / 3) < 1e-12);
  assert.ok(Math.abs(s.fine.mean - (0 + 0 + 2 / 3) / 3) < 1e-12);
  assert.deepEqual(s.perDoc.map((d) => d.docId), ['d1', 'd2', 'd3']);
  // population std of [2/3, 0, 1]
  const m = 5 / 9;
  const std = Math.sqrt(((2 / 3 - m) ** 2 + m ** 2 + (1 - m) ** 2) / 3);
  assert.ok(Math.abs(s.coarse.std - std) < 1e-12);
});

test('task 2: Other is an ordinary label; empty on both sides scores 0; labels outside the class list are dropped', () => {
  const classes = new Set(['Other', A, B]);
  assert.equal(setF1(['Other'], ['Other'], classes), 1);
  assert.equal(setF1(['Other'], ['Other', A], classes), 2 / 3);
  assert.equal(setF1([], [], classes), 0);
  assert.equal(setF1([A], [A, 'CC: Made up label', A], classes), 1);
  // a real fine label the official class file lacks scores nothing
  const s = scoreNarratives(
    [{ docId: 'x', narratives: ['CC: Climate change is beneficial'], subnarratives: ['CC: Climate change is beneficial: Temperature increase is beneficial'] }],
    [{ docId: 'x', narratives: ['CC: Climate change is beneficial'], subnarratives: ['CC: Climate change is beneficial: Temperature increase is beneficial'] }],
  );
  assert.equal(s.coarse.mean, 1);
  assert.equal(s.fine.mean, 0);
});

test('task 2: mismatched document ids are refused', () => {
  assert.throws(
    () => scoreNarratives([{ docId: 'a', narratives: ['Other'], subnarratives: ['Other'] }], [{ docId: 'b', narratives: ['Other'], subnarratives: ['Other'] }]),
    ScoreError,
  );
});

test('task 2: the official line format round-trips', () => {
  const row = { docId: 'd1.txt', narratives: [A, B], subnarratives: [A1, B1] };
  assert.deepEqual(parseNarrativeLines(formatNarrativeRow(row) + '\n'), [row]);
});

test('task 1: exact match of fine-role sets, main-role accuracy and micro F1, hand-computed', () => {
  const gold = [
    { docId: 'd1', mention: 'Vorland', start: 10, end: 16, main: 'Antagonist', fine: ['Instigator', 'Tyrant'] },
    { docId: 'd1', mention: 'Mira Olsk', start: 30, end: 38, main: 'Protagonist', fine: ['Peacemaker'] },
    { docId: 'd2', mention: 'the "Guild"', start: 5, end: 15, main: 'Innocent', fine: ['Victim'] },
    { docId: 'd2', mention: 'Tarn', start: 40, end: 43, main: 'Antagonist', fine: ['Deceiver'] },
  ];
  const pred = [
    // same set in another order: counts as exact
    { docId: 'd1', mention: 'Vorland', start: 10, end: 16, main: 'Antagonist', fine: ['Tyrant', 'Instigator'] },
    { docId: 'd1', mention: 'Mira Olsk', start: 30, end: 38, main: 'Protagonist', fine: ['Guardian'] },
    // the key ignores double quotes in the mention
    { docId: 'd2', mention: 'the Guild', start: 5, end: 15, main: 'Innocent', fine: ['Victim', 'Scapegoat'] },
    { docId: 'd2', mention: 'Tarn', start: 40, end: 43, main: 'Protagonist', fine: ['Deceiver'] },
  ];
  const s = scoreRoles(gold, pred);
  assert.equal(s.emr, 2 / 4);
  assert.equal(s.mainAccuracy, 3 / 4);
  // tp = 2 + 0 + 1 + 1 = 4; predicted 6; gold 5
  assert.ok(Math.abs(s.micro.precision - 4 / 6) < 1e-12);
  assert.ok(Math.abs(s.micro.recall - 4 / 5) < 1e-12);
  assert.ok(Math.abs(s.micro.f1 - (2 * (4 / 6) * (4 / 5)) / (4 / 6 + 4 / 5)) < 1e-12);
});

test('task 1: missing keys and unknown role names are refused', () => {
  const g = [{ docId: 'd', mention: 'X', start: 0, end: 0, main: 'Antagonist', fine: ['Spy'] }];
  assert.throws(() => scoreRoles(g, []), /missing/);
  assert.throws(() => scoreRoles(g, [{ ...g[0], fine: ['Villain'] }]), /unknown fine role/);
  assert.throws(() => scoreRoles(g, [{ ...g[0], start: 1 }]), ScoreError);
});

test('task 1: the official line format round-trips, key echoed exactly', () => {
  const row = { docId: 'd.txt', mention: 'Mira Olsk', start: 3, end: 11, main: 'Protagonist', fine: ['Guardian', 'Virtuous'] };
  assert.equal(formatRoleRow(row), 'd.txt\tMira Olsk\t3\t11\tProtagonist\tGuardian\tVirtuous');
  assert.deepEqual(parseMentionLines(formatRoleRow(row)), [row]);
});
