import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeNames, nameKey } from './names.ts';

const merge = (...names: string[]) => {
  const m = new Map(names.map((n) => [nameKey(n), { name: n, count: 1 }]));
  const out = mergeNames(m);
  return (n: string) => out.get(nameKey(n));
};

test('nameKey drops titles, diacritics, case and punctuation', () => {
  assert.equal(nameKey('Dr. Józef Nowicki-Kral'), 'jozef nowicki-kral');
  assert.equal(nameKey('  Prof.  ANNA   Berg, PhD '), 'anna berg');
  assert.equal(nameKey('L Berg'), 'l. berg');
  assert.equal(nameKey('O’Malley'), 'omalley');
});

test('a surname or initial joins the only full name that fits', () => {
  const p = merge('Orlan Petrovsky', 'Petrovsky', 'O. Petrovsky', 'Orlan B. Petrovsky');
  // One person; with equal counts the fullest spelling names it.
  for (const n of ['Orlan Petrovsky', 'Petrovsky', 'O. Petrovsky', 'Orlan B. Petrovsky']) assert.equal(p(n), 'orlan b. petrovsky', n);
});

test('ambiguous short forms stay apart', () => {
  const p = merge('Hanna Kale', 'Peter Kale', 'Kale', 'H. Kale', 'J. Kale');
  assert.equal(p('Kale'), 'kale');
  assert.equal(p('H. Kale'), 'hanna kale');
  assert.equal(p('J. Kale'), 'j. kale');
  assert.equal(p('Peter Kale'), 'peter kale');
});
