import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatArticleLabels,
  formatParagraphLabels,
  formatSpanLabels,
  isPythonBlank,
  paragraphLines,
  parseArticleLabels,
  parseParagraphLabels,
  parseSpanLabels,
} from './format.ts';

test('paragraph ids are 1-based line numbers with blank lines skipped', () => {
  const text = 'Title line\n\nFirst para.\n   \nSecond para.\n';
  const paras = paragraphLines(text);
  assert.deepEqual(paras.map((p) => p.id), [1, 3, 5]);
  for (const p of paras) assert.equal(text.slice(p.start, p.end), p.text);
});

test('blank follows Python strip(): BOM-only and zero-width-space lines are paragraphs', () => {
  assert.equal(isPythonBlank('\u00a0\t \u3000'), true);
  assert.equal(isPythonBlank('\ufeff'), false);
  assert.equal(isPythonBlank('\u200b'), false);
  const paras = paragraphLines('A\n\ufeff\n\u2003\nB');
  assert.deepEqual(paras.map((p) => p.id), [1, 2, 4]);
});

test('paragraph label file round-trips, empty label lists included', () => {
  const rows = [
    { article: '42', paragraph: 1, labels: [] },
    { article: '42', paragraph: 3, labels: ['Doubt', 'Loaded_Language'] },
  ];
  const txt = formatParagraphLabels(rows);
  assert.equal(txt, '42\t1\t\n42\t3\tDoubt,Loaded_Language\n');
  assert.deepEqual(parseParagraphLabels(txt), rows);
});

test('the misspelt gold label is repaired on request', () => {
  const rows = parseParagraphLabels('7\t2\tAppeal_to_Fear-Prejudi-čce,Doubt\n', { fixLabels: true });
  assert.deepEqual(rows[0].labels, ['Appeal_to_Fear-Prejudice', 'Doubt']);
});

test('malformed paragraph lines are rejected', () => {
  assert.throws(() => parseParagraphLabels('onlyone\n'), /columns/);
  assert.throws(() => parseParagraphLabels('1\tx\tDoubt\n'), /integer/);
});

test('span file and article label file round-trip', () => {
  const spans = [{ article: '9', technique: 'Slogans', start: 3, end: 17 }];
  assert.deepEqual(parseSpanLabels(formatSpanLabels(spans)), spans);
  assert.throws(() => parseSpanLabels('9\tSlogans\t5\t2\n'), /offsets/);
  const arts = [{ article: '5', labels: ['opinion'] }, { article: '6', labels: ['Economic', 'Political'] }];
  assert.deepEqual(parseArticleLabels(formatArticleLabels(arts)), arts);
});
