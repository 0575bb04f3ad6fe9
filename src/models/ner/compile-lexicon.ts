/**
 * Compiles the NER gazetteers into one data file, data/lexicon.bin,
 * so that start-up reads one file instead of requiring four npm packages and
 * building ~120,000-entry sets (that took 150–250 ms at every cold start).
 *
 * Sources (unchanged): world-countries, i18n-nationality,
 * gender-detection-from-name, @cspell/dict-people-names, and the lists in
 * ./data (cities.txt, nationalities-extra.txt, organizations.txt,
 * outlets.txt, titles.txt). lexicon.test.ts checks that the committed file is
 * what this script writes from them.
 *
 * Run after changing a source: node --import tsx src/models/ner/compile-lexicon.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMPILED_LEXICON, FLAG, GAZ, entryWords, hashKey, type GazClass } from './lexicon.ts';

const require = createRequire(import.meta.url);

function readList(file: string): string[] {
  return readFileSync(new URL(`./data/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** The gazetteers as sets, built from the sources (the code lexicon.ts ran at every start before). */
export function lexiconFromSources() {
  const countries = new Set<string>();
  const cities = new Set<string>();
  const capitals = new Set<string>();
  const nationalities = new Set<string>();
  const wc = require('world-countries') as {
    name: { common: string; official: string };
    altSpellings: string[];
    capital: string[];
    demonyms?: { eng?: { m: string; f: string } };
  }[];
  for (const c of wc) {
    countries.add(c.name.common.toLowerCase());
    countries.add(c.name.official.toLowerCase());
    for (const a of c.altSpellings) if (a.length > 3 && /^[A-Z][a-z]/.test(a)) countries.add(a.toLowerCase());
    for (const cap of c.capital ?? []) capitals.add(cap.toLowerCase());
    const d = c.demonyms?.eng;
    if (d) for (const x of [d.m, d.f]) for (const y of x.split(/, | or /)) if (y) nationalities.add(y.toLowerCase());
  }
  const nat = require('i18n-nationality/langs/en.json') as { nationalities: Record<string, string> };
  for (const v of Object.values(nat.nationalities)) {
    if (/\(|,|Island|Territor|Outlying|Occupied| and /.test(v)) continue;
    if (!/(an|ese|ish|i|ic|ch|er|ot|ss|ok|ai|ek|ty|ar|iot|ean|ian)$/.test(v)) continue;
    nationalities.add(v.toLowerCase());
  }
  for (const v of readList('nationalities-extra.txt')) nationalities.add(v.toLowerCase());
  for (const v of ['u.s.', 'us', 'usa', 'u.k.', 'uk', 'britain', 'great britain', 'england', 'scotland', 'wales', 'america']) countries.add(v);

  for (const c of capitals) cities.add(c);
  for (const c of readList('cities.txt')) cities.add(c.toLowerCase());
  const organizations = new Set(readList('organizations.txt').map((s) => s.toLowerCase()));
  const outlets = new Set(readList('outlets.txt').map((s) => s.toLowerCase()));
  const titles = new Map<string, { gender: 'male' | 'female' | null; courtesy: boolean }>();
  for (const line of readList('titles.txt')) {
    const [t, g, c] = line.split('\t');
    titles.set(t!.toLowerCase(), { gender: g === 'male' || g === 'female' ? g : null, courtesy: c === 'yes' });
  }

  const givenNames = new Map<string, 'male' | 'female'>();
  for (const lang of ['tr', 'de', 'fr', 'es', 'it', 'en']) {
    const m = require(`gender-detection-from-name/names/${lang}`) as Map<string, string>;
    for (const [k, v] of m) if (v === 'male' || v === 'female') givenNames.set(k, v);
  }
  const personNames = new Set<string>();
  const pn = readFileSync(join(dirname(require.resolve('@cspell/dict-people-names/cspell-ext.json')), 'dict/people-names.txt'), 'utf8');
  for (const line of pn.split('\n')) if (line && !line.startsWith('#')) personNames.add(line.trim().toLowerCase());
  return { countries, cities, capitals, nationalities, organizations, outlets, titles, givenNames, personNames };
}

/**
 * The bytes of data/lexicon.bin. Layout (little-endian): "UNLX", u32 length
 * of a JSON header ({ version, count, cap, textLength, phrases, note }),
 * the header padded to 4 bytes, then Int32 slots[cap] (entry index + 1, 0
 * empty; open addressing on FNV-1a of the entry's UTF-16 code units),
 * Int32 keyStart[count], Uint16 keyLength[count], Uint16 flags[count] (FLAG
 * bits), and the entries' text (UTF-8, no separators; keyStart counts UTF-16
 * units of the decoded text). `phrases` lists the multi-word entries as
 * [GAZ class index, words…]; `small` repeats the small classes as lists.
 */
export function compileLexicon(): Buffer {
  const lx = lexiconFromSources();
  const flags = new Map<string, number>();
  const add = (words: Iterable<string>, bit: number) => {
    for (const w of words) flags.set(w, (flags.get(w) ?? 0) | bit);
  };
  add(lx.countries, FLAG.country);
  add(lx.cities, FLAG.city);
  add(lx.capitals, FLAG.capital);
  add(lx.nationalities, FLAG.nat);
  add(lx.organizations, FLAG.org);
  add(lx.outlets, FLAG.outlet);
  for (const [t, info] of lx.titles) {
    const bits = FLAG.title | (info.gender === 'male' ? FLAG.titleMale : info.gender === 'female' ? FLAG.titleFemale : 0) | (info.courtesy ? FLAG.titleCourtesy : 0);
    add([t], bits);
  }
  for (const [n, g] of lx.givenNames) add([n], g === 'male' ? FLAG.givenMale : FLAG.givenFemale);
  add(lx.personNames, FLAG.person);
  const entries = [...flags].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const count = entries.length;
  let cap = 16;
  while (cap < count * 2) cap <<= 1;
  const slots = new Int32Array(cap);
  const keyStart = new Int32Array(count);
  const keyLength = new Uint16Array(count);
  const bits = new Uint16Array(count);
  let text = '';
  entries.forEach(([w, f], k) => {
    if (w.length > 0xffff) throw new Error(`lexicon entry too long: ${w.slice(0, 40)}…`);
    keyStart[k] = text.length;
    keyLength[k] = w.length;
    bits[k] = f;
    text += w;
    let slot = hashKey(w) & (cap - 1);
    while (slots[slot] !== 0) slot = (slot + 1) & (cap - 1);
    slots[slot] = k + 1;
  });
  // Multi-word phrases, class by class in the order the tagger indexes them (GAZ in lexicon.ts).
  const phraseSources: [GazClass, Iterable<string>][] = [
    ['country', lx.countries],
    ['city', lx.cities],
    ['nat', lx.nationalities],
    ['org', lx.organizations],
    ['outlet', lx.outlets],
    ['title', lx.titles.keys()],
  ];
  const phrases: (number | string)[][] = [];
  for (const [cls, words] of phraseSources) {
    for (const w of words) {
      const ws = entryWords(w);
      if (ws.length >= 2) phrases.push([GAZ.indexOf(cls), ...ws]);
    }
  }
  const note = 'NER gazetteers compiled by src/models/ner/compile-lexicon.ts from world-countries, i18n-nationality, gender-detection-from-name, @cspell/dict-people-names and src/models/ner/data/*.txt; do not edit: change a source and rerun it.';
  // The small classes again as plain lists: the loader keeps them in ordinary Sets (quicker to query than the table).
  const small = {
    countries: [...lx.countries],
    capitals: [...lx.capitals],
    nationalities: [...lx.nationalities],
    organizations: [...lx.organizations],
    outlets: [...lx.outlets],
    titles: [...lx.titles].map(([t, info]) => [t, info.gender ?? '', info.courtesy ? 1 : 0]),
  };
  const body = Buffer.from(text, 'utf8');
  let json = Buffer.from(JSON.stringify({ version: 1, count, cap, textLength: text.length, phrases, small, note }), 'utf8');
  const pad = (4 - ((8 + json.length) % 4)) % 4;
  json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const pre = Buffer.alloc(8);
  pre.write('UNLX', 0, 'latin1');
  pre.writeUInt32LE(json.length, 4);
  const view = (a: Int32Array | Uint16Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return Buffer.concat([pre, json, view(slots), view(keyStart), view(keyLength), view(bits), body]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bytes = compileLexicon();
  writeFileSync(COMPILED_LEXICON, bytes);
  console.log(`wrote ${COMPILED_LEXICON} (${(bytes.length / 1e6).toFixed(2)} MB)`);
}
