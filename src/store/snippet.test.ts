import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSnippet, queryWords } from './snippet.ts';

test('query words drop operators, split phrases and keep prefixes', () => {
  assert.deepEqual(queryWords('"state media" OR propag* NOT Élan'), [
    { word: 'state', prefix: false },
    { word: 'media', prefix: false },
    { word: 'propag', prefix: true },
    { word: 'elan', prefix: false },
  ]);
});

test('the snippet centres on the first hit and brackets every hit', () => {
  const text = Array.from({ length: 60 }, (_, i) => `w${i}`).join(' ').replace('w40', 'Harbour,').replace('w45', 'harbours');
  const s = makeSnippet(text, 'harbour*', 20);
  assert.match(s, /^…w34 .*\[Harbour,\] .*\[harbours\] .*w53…$/);
  assert.equal(makeSnippet('short text', 'absent'), 'short text');
});
