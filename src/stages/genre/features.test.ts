import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GENRE_FEATURES, genreFeatures, genreFeatureShares } from './features.ts';

// Invented texts: a short wire item and a short column on the same made-up event.
const WIRE = [
  'Flood closes schools in Marrowby',
  'MARROWBY (Wirenews) — Floodwater closed 14 schools in Marrowby on Tuesday, city officials said.',
  'About 3,200 pupils were sent home, according to the education department, and repairs are expected to cost $2 million.',
  '"The water came in faster than we expected," Mayor Elna Quist told reporters. Police said no one was hurt.',
].join('\n');
const COLUMN = [
  'Why do we keep building on the flood plain?',
  'I have lived in Marrowby all my life, and I am tired of watching the same absurd mistake.',
  'We should stop pretending this is bad luck. You know it is not! Our council must finally admit it was wrong.',
  'Frankly, it is a disgrace, and everyone in this town knows it.',
].join('\n');

const f = (text: string) => Object.fromEntries(GENRE_FEATURES.map((n, i) => [n, genreFeatures(text)[i]]));

test('one finite value per named feature', () => {
  for (const t of [WIRE, COLUMN, '', 'one line only']) {
    const v = genreFeatures(t);
    assert.equal(v.length, GENRE_FEATURES.length);
    assert.ok(v.every(Number.isFinite));
  }
});

test('a wire item attributes most sentences and opens with a dateline; a column does neither', () => {
  const w = f(WIRE);
  const c = f(COLUMN);
  assert.equal(w.dateline, 1);
  assert.equal(c.dateline, 0);
  assert.ok(w.attributed_sentences >= 0.5, `wire attributed share ${w.attributed_sentences}`);
  assert.equal(c.attributed_sentences, 0);
  assert.ok(w.quote_marks > 0 && c.quote_marks === 0);
  assert.ok(w.numbers > c.numbers && w.money > 0);
});

test('a column speaks in the first and second person, prescribes, evaluates, asks and exclaims', () => {
  const w = f(WIRE);
  const c = f(COLUMN);
  for (const k of ['first_singular_rate', 'first_plural_rate', 'second_rate', 'modal_rate', 'evaluative_rate', 'exclamation_sentences']) {
    assert.ok(c[k] > w[k], `${k}: column ${c[k]} vs wire ${w[k]}`);
  }
  assert.equal(c.title_question_or_exclamation, 1);
  assert.equal(w.title_question_or_exclamation, 0);
});

test('multi-word cues count, and names inside a sentence count as capitalised words', () => {
  const t = 'Title\nThe bill passed, according to Senator Ruth Amble of Carrow County.';
  const v = f(t);
  assert.equal(v.attributed_sentences, 1);
  assert.ok(v.capitalised_inner_words > 0);
  assert.equal(f('Title\nthe bill passed quietly.').capitalised_inner_words, 0);
});

test('each sentence is credited with the cues, numbers and quotes it holds', () => {
  const text = 'Title\nOfficials said 40 homes flooded. I think we should move.';
  const cut = text.indexOf(' I think') + 1;
  const units = [{ start: 6, end: cut - 1 }, { start: cut, end: text.length }];
  const [wire, opinion] = genreFeatureShares(text, units).map((row) => Object.fromEntries(GENRE_FEATURES.map((n, i) => [n, row[i]])));
  assert.ok(wire.attribution_rate > 0 && wire.numbers > 0 && wire.attributed_sentences > 0);
  assert.equal(wire.first_singular_rate, 0);
  assert.ok(opinion.first_singular_rate > 0 && opinion.modal_rate > 0 && opinion.first_plural_rate > 0);
  assert.equal(opinion.attribution_rate, 0);
  // shares add up to the article's value for a feature that counts occurrences
  const all = f(text);
  assert.ok(Math.abs(wire.numbers + opinion.numbers - all.numbers) < 1e-9);
  // document-wide features belong to no sentence
  assert.equal(wire.log_paragraphs + opinion.log_paragraphs, 0);
});
