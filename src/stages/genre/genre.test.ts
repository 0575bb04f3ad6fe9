import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyzeText } from '../../pipeline.ts';
import { ARTICLE_MODEL_LANGUAGES } from '../frames/index.ts';
import { createGenreStage, genreModel, genreStack, genreStage, GENRES, predictGenre, priorShift } from './index.ts';
import { predictTask1 } from './semeval.ts';

const read = (name: string) => readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8');
const run = (name: string, stage = genreStage) => analyzeText(read(name), { language: 'en' }, { stages: [stage] });
const probs = (name: string) => {
  const m = genreModel();
  const p = predictGenre(m, genreStack(), read(name), 'en').probs;
  return Object.fromEntries(m.labels.map((l, i) => [l, p[i]]));
};

test('the committed genre model loads and covers every language the stage declares', () => {
  const m = genreModel();
  assert.deepEqual(m.labels, [...GENRES]);
  assert.deepEqual(m.languages, [...ARTICLE_MODEL_LANGUAGES].sort());
});

test('an opinion column is labelled opinion, citing its sentences', () => {
  const a = run('opinion-column.txt');
  assert.equal(a.genre?.label, 'opinion');
  assert.ok(a.genre!.confidence > 1 / 3 && a.genre!.confidence <= 1);
  assert.ok(a.genre!.evidence.length >= 1);
  const sentences = new Set(a.segments.sentences.map((s) => `${s.start}:${s.end}`));
  for (const e of a.genre!.evidence) {
    assert.equal(a.document.text.slice(e.start, e.end), e.text);
    assert.ok(sentences.has(`${e.start}:${e.end}`));
    assert.ok(e.weight > 0);
  }
});

test('a plain wire report looks more like reporting than the opinion column does', () => {
  assert.ok(probs('wire-report.txt').reporting > probs('opinion-column.txt').reporting);
});

test('a plain wire report is labelled reporting', () => {
  assert.equal(run('wire-report.txt').genre?.label, 'reporting');
});

test('evidence for reporting cites attributed or quoted sentences; evidence for opinion cites sentences that argue', () => {
  const wire = run('wire-report.txt').genre!;
  assert.ok(wire.evidence.length >= 1);
  for (const e of wire.evidence) assert.match(e.text, /\b(said|told|according to|announced)\b|["“”]/, e.text);
  const column = run('opinion-column.txt').genre!;
  assert.ok(column.evidence.length >= 1);
  for (const e of column.evidence) assert.match(e.text, /\b(I|we|our|us|you|should|must)\b|\?|!/i, e.text);
});

test('told the collection is a wire feed, the stage labels the wire report reporting', () => {
  const wire = createGenreStage(genreModel, { deployPrior: { reporting: 0.8, opinion: 0.18, satire: 0.02 } });
  const a = run('wire-report.txt', wire);
  assert.equal(a.genre?.label, 'reporting');
  assert.ok(a.genre!.confidence > run('wire-report.txt').genre!.confidence, 'a wire-feed prior raises the confidence in reporting');
});

test('told the collection is a wire feed, the stage still labels the opinion column opinion', { todo: 'the English model separates opinion from reporting too weakly (out-of-fold AUC about 0.7) to hold against a 0.8 reporting prior' }, () => {
  const wire = createGenreStage(genreModel, { deployPrior: { reporting: 0.8, opinion: 0.18, satire: 0.02 } });
  assert.equal(run('opinion-column.txt', wire).genre?.label, 'opinion');
});

test('a clearly satirical piece is labelled satire', { todo: 'ten English satire articles in train: the model does not recognise this invented piece yet (see MODEL_CARD.md)' }, () => {
  assert.equal(run('satire.txt').genre?.label, 'satire');
});

test('prior shifts move the training mix to the target mix', () => {
  const s = priorShift(['reporting', 'opinion', 'satire'], [0.1, 0.85, 0.05], { reporting: 0.8, opinion: 0.15, satire: 0.05 });
  assert.ok(s[0] > 0 && s[1] < 0);
  assert.ok(Math.abs(s[2]) < 1e-9);
  assert.throws(() => priorShift(['a'], [1], {}), /positive share/);
});

test('task 1 predictions are one of the three official labels, and other languages are refused', () => {
  assert.ok((GENRES as readonly string[]).includes(predictTask1(read('opinion-column.txt'), 'en')));
  assert.ok((GENRES as readonly string[]).includes(predictTask1('Il governo ha approvato lunedì una nuova legge.', 'it')));
  assert.throws(() => predictTask1('Hallitus hyväksyi uudet lait.', 'fi'), /no model for language 'fi'/);
});
