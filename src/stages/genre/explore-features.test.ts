import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { VECTORS_FILE } from '../../models/embeddings/index.ts';
import { analyzeText } from '../../pipeline.ts';
import { entitiesStage } from '../entities/index.ts';
import { quotesStage } from '../quotes/index.ts';
import { clusterShares, cosine, docVectors } from './docvec.ts';
import { expandedLexicons } from './lexicon.ts';
import { QUOTE_FEATURES, quoteFeatures } from './quote-features.ts';

// Invented texts: a wire item that hands the story to named sources, and a column in the writer's own voice.
const WIRE = [
  'Harbour bridge in Pellmouth shut after crack found',
  'Engineers closed the Pellmouth harbour bridge on Thursday after inspectors found a crack in a support beam, the city transport office said.',
  '"We will not reopen it until every beam has been checked," said Dora Venn, the head of the transport office.',
  'Venn said the inspection could take two weeks. Ferry operator Tamsin Lode said extra boats would run from Friday.',
].join('\n');
const COLUMN = [
  'Our bridges are falling apart and nobody cares',
  'I have crossed that bridge every morning for twenty years, and I am tired of pretending all is well.',
  'We deserve better than this. It is a disgrace, and everyone in this town knows it.',
].join('\n');

const vectorsHere = existsSync(VECTORS_FILE);
const skipVectors = vectorsHere ? false : 'word vectors not compiled (src/models/embeddings/data/vectors.bin)';

test('quote features: the wire item quotes named speakers, the column quotes no one', () => {
  const f = (text: string) => {
    const v = quoteFeatures(analyzeText(text, { language: 'en' }, { stages: [entitiesStage, quotesStage] }));
    assert.equal(v.length, QUOTE_FEATURES.length);
    assert.ok(v.every(Number.isFinite));
    return Object.fromEntries(QUOTE_FEATURES.map((n, i) => [n, v[i]]));
  };
  const w = f(WIRE);
  const c = f(COLUMN);
  assert.ok(w.q_quotes_per100 > 0, 'the wire item holds quotes');
  assert.ok(w.q_quoted_char_share > 0.05, `quoted share ${w.q_quoted_char_share}`);
  assert.ok(w.q_log_speakers > 0);
  // the column names no speaker and hands (almost) none of its text to anyone
  assert.equal(c.q_direct_per100, 0);
  assert.equal(c.q_log_speakers, 0);
  assert.ok(c.q_quoted_char_share < w.q_quoted_char_share / 5);
});

test('document vectors: a title is closer to its own body than to an unrelated one', { skip: skipVectors }, () => {
  const wire = docVectors(WIRE);
  const column = docVectors(COLUMN);
  // both articles are about a bridge, but the wire title shares more of the wire body's words
  assert.ok(cosine(wire.title, wire.body) > 0.5, `title-body cosine ${cosine(wire.title, wire.body)}`);
  const unrelated = docVectors('Chess club elects a new captain\nThe chess club met on Monday and chose its new captain by a show of hands after a long tournament season.');
  assert.ok(cosine(wire.title, wire.body) > cosine(wire.title, unrelated.body));
  assert.ok(column.known > 0.9, 'nearly every word of plain English is in the vocabulary');
  const shares = clusterShares(WIRE, 0);
  assert.ok(Math.abs(shares.reduce((a, b) => a + b, 0) - 1) < 1e-5, 'cluster shares sum to one');
});

test('widened cue lists keep their seeds and never take another category\'s cue', { skip: skipVectors }, () => {
  const lex = expandedLexicons();
  const evaluative = lex.get('evaluative')!;
  assert.ok(evaluative.has('absurd'), 'a seed stays in its list');
  assert.ok(evaluative.size > 75, 'neighbours were added');
  for (const set of lex.values()) for (const w of ['said', 'i', 'you', 'should']) if (set !== lex.get('attribution')) assert.ok(!set.has(w), `${w} leaked into another list`);
});
