import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { MODEL_PATH, nerModel, chunks } from './index.ts';
import { NerModel } from './model.ts';
import { NTAGS } from './tags.ts';

const entities = (words: string[]) => {
  const tags = nerModel().tag(words);
  return chunks(tags).map((c) => `${c.type}:${words.slice(c.start, c.end).join(' ')}`);
};

test('the committed model exists and is small', () => {
  assert.ok(existsSync(MODEL_PATH), `missing ${MODEL_PATH}: run unspin train entities`);
  assert.ok(statSync(MODEL_PATH).size < 5 * 2 ** 20);
});

test('the committed model finds people, places and organisations in invented news text', () => {
  const found = entities('The striker Marco Velluti signed for Ajax after talks in Amsterdam , the club said .'.split(' '));
  assert.ok(found.includes('PER:Marco Velluti'), found.join(' | '));
  assert.ok(found.includes('LOC:Amsterdam'), found.join(' | '));
  assert.ok(found.includes('ORG:Ajax'), found.join(' | '));
  const found2 = entities('Officials from the European Union met Ukrainian ministers in Brussels on Monday .'.split(' '));
  assert.ok(found2.includes('ORG:European Union'), found2.join(' | '));
  assert.ok(found2.includes('LOC:Brussels'), found2.join(' | '));
  assert.ok(!found2.some((f) => f.startsWith('ORG:Ukrainian')), found2.join(' | '));
});

test('curly quotes and a possessive split off do not break the tagger', () => {
  const found = entities(['“', 'We', 'will', 'wait', ',', '”', 'said', 'Helga', 'Sandvik', ',', 'Norway', "’s", 'envoy', '.']);
  assert.ok(found.includes('PER:Helga Sandvik'), found.join(' | '));
  assert.ok(found.includes('LOC:Norway'), found.join(' | '));
});

test('encode/decode keeps weights (within quantisation) and drops pruned ones', () => {
  const keys = new Uint32Array([11, 22, 33]);
  const w = new Float32Array(3 * NTAGS);
  w[0] = 1.5; // row 0, tag O
  w[NTAGS + 3] = -0.75; // row 1, tag B-ORG
  w[2 * NTAGS + 1] = 0.001; // row 2: below minWeight, dropped
  const m = NerModel.decode(NerModel.encode({ name: 't', version: '0' }, keys, w, 0.01));
  assert.equal(m.header.rows, 2);
  const scores = new Float64Array(NTAGS);
  m.score(new Uint32Array([11, 22, 33, 44]), 4, scores);
  assert.ok(Math.abs(scores[0] - 1.5) < 1e-3);
  assert.ok(Math.abs(scores[3] + 0.75) < 1e-3);
  assert.equal(scores[1], 0);
});
