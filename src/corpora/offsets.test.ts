import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codePointToUtf16Map, cpToUtf16, utf16ToCodePointMap } from './offsets.ts';

test('code points map to UTF-16 offsets past astral characters', () => {
  const text = 'a😀b𝒳c'; // a, U+1F600 (2 units), b, U+1D4B3 (2 units), c
  const map = codePointToUtf16Map(text);
  assert.deepEqual([...map], [0, 1, 3, 4, 6, 7]);
  // code-point span [1,2) is the emoji
  assert.equal(text.slice(cpToUtf16(map, 1), cpToUtf16(map, 2)), '😀');
  assert.equal(text.slice(cpToUtf16(map, 2), cpToUtf16(map, 5)), 'b𝒳c');
  // out-of-range offsets clamp to the text
  assert.equal(cpToUtf16(map, 99), text.length);
});

test('UTF-16 offsets map back to code points, inverse of the forward map', () => {
  const text = 'x😀y\n𝒳𝒳z';
  const fwd = codePointToUtf16Map(text);
  const back = utf16ToCodePointMap(text);
  for (let cp = 0; cp < fwd.length; cp++) assert.equal(back[fwd[cp]], cp);
  assert.equal(back[text.length], [...text].length);
});

test('a BMP-only text maps to itself', () => {
  const map = codePointToUtf16Map('plain words');
  assert.deepEqual([...map], Array.from({ length: 12 }, (_, i) => i));
});
