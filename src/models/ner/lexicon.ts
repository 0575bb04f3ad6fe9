/**
 * Gazetteers shared by the NER tagger (as features) and the entities stage
 * (to type and clean spans). Loaded once, lazily, from npm packages that ship
 * their data and from the hand-written lists in ./data (each file says where
 * it came from).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export type Gender = 'male' | 'female';

export interface TitleInfo {
  /** Gender the title implies, or null. */
  gender: Gender | null;
  /** Courtesy titles (Mr, Ms) are not descriptors. */
  courtesy: boolean;
}

/** Gazetteer classes; each is one bit in a token's flags. */
export const GAZ = ['country', 'city', 'nat', 'org', 'outlet', 'title', 'given', 'person'] as const;
export type GazClass = (typeof GAZ)[number];

export interface Lexicon {
  /** Lower-cased single- or multi-word entries, words joined by one space. */
  countries: Set<string>;
  /** Capitals (world-countries) and cities of 50,000 or more (data/cities.txt): a tagger feature only. */
  cities: Set<string>;
  /** Capital cities: safe to type as places. */
  capitals: Set<string>;
  nationalities: Set<string>;
  organizations: Set<string>;
  outlets: Set<string>;
  titles: Map<string, TitleInfo>;
  /** Given names with a gender (gender-detection-from-name, English list first). */
  givenNames: Map<string, Gender>;
  /** Given names and surnames (@cspell/dict-people-names). */
  personNames: Set<string>;
  /** Multi-word phrase index: first word → entries (word arrays) with their class bit. */
  phrases: Map<string, { words: string[]; cls: number }[]>;
}

export function readList(url: URL): string[] {
  return readFileSync(url, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
}

/** Words of a gazetteer entry as the tokenizer would split them (possessive 's apart). */
export function entryWords(entry: string): string[] {
  return entry
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .split(/\s+/)
    .flatMap((w) => (/.'s$/.test(w) ? [w.slice(0, -2), "'s"] : [w]))
    .filter(Boolean);
}

let cached: Lexicon | null = null;

export function lexicon(): Lexicon {
  if (cached) return cached;
  const data = (f: string) => new URL(`./data/${f}`, import.meta.url);

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
  for (const v of readList(data('nationalities-extra.txt'))) nationalities.add(v.toLowerCase());
  for (const v of ['u.s.', 'us', 'usa', 'u.k.', 'uk', 'britain', 'great britain', 'england', 'scotland', 'wales', 'america'])
    countries.add(v);

  for (const c of capitals) cities.add(c);
  for (const c of readList(data('cities.txt'))) cities.add(c.toLowerCase());
  const organizations = new Set(readList(data('organizations.txt')).map((s) => s.toLowerCase()));
  const outlets = new Set(readList(data('outlets.txt')).map((s) => s.toLowerCase()));
  const titles = new Map<string, TitleInfo>();
  for (const line of readList(data('titles.txt'))) {
    const [t, g, c] = line.split('\t');
    titles.set(t.toLowerCase(), { gender: g === 'male' || g === 'female' ? g : null, courtesy: c === 'yes' });
  }

  const givenNames = new Map<string, Gender>();
  for (const lang of ['tr', 'de', 'fr', 'es', 'it', 'en']) {
    const m = require(`gender-detection-from-name/names/${lang}`) as Map<string, string>;
    for (const [k, v] of m) if (v === 'male' || v === 'female') givenNames.set(k, v);
  }
  const personNames = new Set<string>();
  const pn = readFileSync(join(dirname(require.resolve('@cspell/dict-people-names/cspell-ext.json')), 'dict/people-names.txt'), 'utf8');
  for (const line of pn.split('\n')) if (line && !line.startsWith('#')) personNames.add(line.trim().toLowerCase());

  const phrases = new Map<string, { words: string[]; cls: number }[]>();
  const addPhrases = (set: Iterable<string>, cls: GazClass) => {
    const bit = GAZ.indexOf(cls);
    for (const e of set) {
      const words = entryWords(e);
      if (words.length < 2) continue;
      let list = phrases.get(words[0]);
      if (!list) phrases.set(words[0], (list = []));
      list.push({ words, cls: bit });
    }
  };
  addPhrases(countries, 'country');
  addPhrases(cities, 'city');
  addPhrases(nationalities, 'nat');
  addPhrases(organizations, 'org');
  addPhrases(outlets, 'outlet');
  addPhrases(titles.keys(), 'title');
  for (const list of phrases.values()) list.sort((a, b) => b.words.length - a.words.length);

  cached = { countries, cities, capitals, nationalities, organizations, outlets, titles, givenNames, personNames, phrases };
  return cached;
}

/** Strip a trailing "." from a title token ("Dr." → "dr"). */
export function titleKey(word: string): string {
  return word.toLowerCase().replace(/\.$/, '');
}

/**
 * Single-word gazetteer flags of a lower-case word: for class k, bit 2k marks
 * the first word of a match (bit 2k+1, a following word, comes from
 * phraseFlags). The caller applies them only to capitalised words.
 */
export function wordGaz(lw: string): number {
  const lx = lexicon();
  let f = 0;
  if (lx.countries.has(lw)) f |= 1 << 0;
  if (lx.cities.has(lw)) f |= 1 << 2;
  if (lx.nationalities.has(lw)) f |= 1 << 4;
  if (lx.organizations.has(lw)) f |= 1 << 6;
  if (lx.outlets.has(lw)) f |= 1 << 8;
  if (lx.titles.has(lw.endsWith('.') ? lw.slice(0, -1) : lw)) f |= 1 << 10;
  if (lx.givenNames.has(lw)) f |= 1 << 12;
  if (lx.personNames.has(lw)) f |= 1 << 14;
  return f;
}

/** Add multi-word gazetteer matches (first word capitalised, or an upper-case sentence) to `flags`. */
export function phraseFlags(words: readonly { lowerStr: string; cap: boolean }[], capsSentence: boolean, flags: Uint16Array): void {
  const phrases = lexicon().phrases;
  const n = words.length;
  for (let i = 0; i < n; i++) {
    if (!capsSentence && !words[i].cap) continue;
    const list = phrases.get(words[i].lowerStr);
    if (!list) continue;
    for (const p of list) {
      const m = p.words.length;
      if (i + m > n) continue;
      let ok = true;
      for (let j = 1; j < m; j++)
        if (words[i + j].lowerStr !== p.words[j]) {
          ok = false;
          break;
        }
      if (!ok) continue;
      flags[i] |= 1 << (2 * p.cls);
      for (let j = 1; j < m; j++) flags[i + j] |= 1 << (2 * p.cls + 1);
    }
  }
}
