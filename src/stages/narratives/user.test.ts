import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { NarrativeFileError, stems, UserNarrativeMatcher, validateUserNarratives, type UserNarrativeFile } from './user.ts';

const example = JSON.parse(readFileSync(new URL('../../../examples/narratives/tidal-barrage.json', import.meta.url), 'utf8'));

test('the shipped example file is valid', () => {
  const f = validateUserNarratives(example);
  assert.equal(f.narratives.length, 3);
});

test('a paraphrase of an example matches its narrative, an unrelated sentence matches nothing', () => {
  const m = new UserNarrativeMatcher(validateUserNarratives(example));
  const hits = m.match([
    'The weather in Brennmark was mild on Tuesday.',
    'Household electricity bills could double because of the new barrage levy, the group warned.',
    'The mayor opened a new library.',
  ]);
  assert.deepEqual(hits.map((h) => h.id), ['household-costs']);
  assert.equal(hits[0].support[0].index, 1);
  assert.ok(hits[0].confidence >= 0.3 && hits[0].confidence <= 1);
});

test('several narratives can match one article, each citing its own sentences', () => {
  const m = new UserNarrativeMatcher(validateUserNarratives(example));
  const hits = m.match([
    'An overseas consortium will take control of the harbour, campaigners said.',
    'Nobody knows the flood risk, because engineers kept the report secret.',
    'Tickets for the ferry went on sale.',
  ]);
  const byId = new Map(hits.map((h) => [h.id, h]));
  assert.deepEqual([...byId.keys()].sort(), ['foreign-control', 'hidden-risks']);
  assert.deepEqual(byId.get('foreign-control')!.support.map((s) => s.index), [0]);
  assert.deepEqual(byId.get('hidden-risks')!.support.map((s) => s.index), [1]);
});

test('one shared word is not enough, and the threshold is respected', () => {
  const file: UserNarrativeFile = {
    format: 'unspin/narratives@1',
    topic: 'test',
    narratives: [{ id: 'n', name: 'Bridges are unsafe', description: 'The bridge is unsafe.', examples: ['The Osterby bridge will collapse under heavy trucks.'] }],
  };
  const m = new UserNarrativeMatcher(file);
  assert.equal(m.match(['We walked to the bridge.']).length, 0);
  assert.equal(m.match(['Heavy trucks may make the Osterby bridge collapse.']).length, 1);
  const strict = new UserNarrativeMatcher({ ...file, threshold: 0.99 });
  assert.equal(strict.match(['Heavy trucks may make the Osterby bridge collapse.']).length, 0);
});

test('stems ignore function words and join inflected forms', () => {
  assert.deepEqual(stems('The sanctions were sanctioned'), ['sancti', 'sancti']);
});

test('malformed files are refused with a message naming the problem', () => {
  assert.throws(() => validateUserNarratives({ format: 'unspin/narratives@1', topic: 't', narratives: [] }), NarrativeFileError);
  assert.throws(
    () => validateUserNarratives({ format: 'unspin/narratives@1', topic: 't', narratives: [{ id: 'a', name: 'A', description: 'd', examples: [] }] }),
    /examples/,
  );
  assert.throws(() => validateUserNarratives({ ...example, format: 'other' }), /format/);
});
