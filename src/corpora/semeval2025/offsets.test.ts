import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crlfOffsetToIndex, indexToCrlfOffset, locateMention } from './offsets.ts';
import { FINE_LABELS, COARSE_LABELS, SCORER_FINE, parentNarrative, sortFineRoles, mainRoleOf } from './taxonomy.ts';

test('inclusive end: the slice end + 1 is the mention', () => {
  const text = 'Minister Halvar Renn praised the Tolvik bridge.';
  const start = text.indexOf('Halvar Renn');
  const end = start + 'Halvar Renn'.length - 1; // inclusive
  assert.deepEqual(locateMention(text, 'Halvar Renn', start, end), { start, end: end + 1, method: 'exact' });
});

test('UTF-16 units: an emoji before the mention shifts code-point offsets, not ours', () => {
  const text = 'Big news 🎉 today: Quenby Marsh resigned.';
  const start = text.indexOf('Quenby Marsh'); // JS index counts the emoji as 2
  const loc = locateMention(text, 'Quenby Marsh', start, start + 11);
  assert.equal(loc?.method, 'exact');
  assert.equal(text.slice(loc!.start, loc!.end), 'Quenby Marsh');
});

test('CRLF offsets on an LF copy: each earlier line break counts twice', () => {
  const lf = 'Title line\n\nFirst paragraph.\nThe mayor of Dunmere spoke.';
  const crlf = lf.replace(/\n/g, '\r\n');
  const s = crlf.indexOf('Dunmere');
  const e = s + 'Dunmere'.length - 1;
  assert.notEqual(lf.slice(s, e + 1), 'Dunmere');
  const loc = locateMention(lf, 'Dunmere', s, e);
  assert.equal(loc?.method, 'crlf');
  assert.equal(lf.slice(loc!.start, loc!.end), 'Dunmere');
  assert.equal(crlfOffsetToIndex(lf, s), lf.indexOf('Dunmere'));
  assert.equal(indexToCrlfOffset(lf, lf.indexOf('Dunmere')), s);
});

test('drifted offsets fall back to the nearest exact occurrence, and give up far away', () => {
  const text = 'Orsay met Orsay. Later, far away, Orsay left.';
  const second = text.indexOf('Orsay', 1);
  const loc = locateMention(text, 'Orsay', second + 3, second + 7);
  assert.equal(loc?.method, 'nearest');
  assert.equal(loc?.start, second);
  assert.equal(locateMention(text, 'Nobody', 0, 5), null);
});

test('taxonomy: 22 narratives with Other, 96 subnarratives, the scorer list has 91', () => {
  assert.equal(COARSE_LABELS.length, 22);
  assert.equal(FINE_LABELS.length, 96);
  assert.equal(SCORER_FINE.length, 91);
  assert.equal(parentNarrative('URW: Discrediting Ukraine: Ukraine is a puppet of the West'), 'URW: Discrediting Ukraine');
  assert.equal(parentNarrative('CC: Amplifying Climate Fears: Other'), 'CC: Amplifying Climate Fears');
  assert.equal(mainRoleOf('Scapegoat'), 'Innocent');
  assert.deepEqual(sortFineRoles(['Tyrant', 'Instigator', 'Tyrant']), ['Instigator', 'Tyrant']);
});
