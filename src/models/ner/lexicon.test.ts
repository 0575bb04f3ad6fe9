import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compileLexicon, lexiconFromSources } from './compile-lexicon.ts';
import { COMPILED_LEXICON, entryWords, GAZ, lexicon, wordGaz } from './lexicon.ts';

test('the committed compiled lexicon is what compile-lexicon.ts writes from the sources', () => {
  assert.ok(
    readFileSync(COMPILED_LEXICON).equals(compileLexicon()),
    'data/lexicon.bin is stale: run `node --import tsx src/models/ner/compile-lexicon.ts` and commit it',
  );
});

test('the compiled lexicon answers as the sets built from the sources do', () => {
  const src = lexiconFromSources();
  const lx = lexicon();
  const sets = ['countries', 'cities', 'capitals', 'nationalities', 'organizations', 'outlets', 'personNames'] as const;
  const all = new Set<string>();
  for (const name of sets) for (const w of src[name]) all.add(w);
  for (const w of src.titles.keys()) all.add(w);
  for (const w of src.givenNames.keys()) all.add(w);
  // Words no list has: near misses of listed ones.
  const absent = ['', 'zzqx', 'franc', 'germanyy', 'mr.', 'london ', ' paris', 'unitedstates'].filter((w) => !all.has(w));
  for (const w of [...all, ...absent]) {
    for (const name of sets) assert.equal(lx[name].has(w), src[name].has(w), `${name}: ${w}`);
    assert.deepEqual(lx.titles.get(w), src.titles.get(w), `titles: ${w}`);
    assert.equal(lx.titles.has(w), src.titles.has(w));
    assert.equal(lx.givenNames.get(w), src.givenNames.get(w), `givenNames: ${w}`);
    assert.equal(lx.givenNames.has(w), src.givenNames.has(w));
  }
  // Multi-word phrases: every entry of two words or more is indexed under its first word with its class.
  const phrases: [string, Iterable<string>][] = [['country', src.countries], ['city', src.cities], ['nat', src.nationalities], ['org', src.organizations], ['outlet', src.outlets], ['title', src.titles.keys()]];
  let count = 0;
  for (const [cls, entries] of phrases) {
    for (const e of entries) {
      const words = entryWords(e);
      if (words.length < 2) continue;
      count++;
      const list = lx.phrases.get(words[0]!) ?? [];
      assert.ok(list.some((p) => p.cls === GAZ.indexOf(cls as (typeof GAZ)[number]) && p.words.join(' ') === words.join(' ')), `phrase ${cls}: ${e}`);
    }
  }
  assert.equal([...lx.phrases.values()].reduce((n, l) => n + l.length, 0), count);
});

test('a title with its abbreviation dot is flagged as a title', () => {
  const title = 1 << 10;
  assert.ok(wordGaz('dr.') & title);
  assert.ok(wordGaz('dr') & title);
  assert.equal(wordGaz('table.') & title, 0);
});
