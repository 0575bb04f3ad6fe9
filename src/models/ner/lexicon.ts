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
  cities: Set<string>;
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
    for (const cap of c.capital ?? []) cities.add(cap.toLowerCase());
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

  cached = { countries, cities, nationalities, organizations, outlets, titles, givenNames, personNames, phrases };
  return cached;
}

/** Strip a trailing "." from a title token ("Dr." → "dr"). */
export function titleKey(word: string): string {
  return word.toLowerCase().replace(/\.$/, '');
}

/**
 * Gazetteer flags per token: for class k, bit 2k marks the first word of a
 * match and bit 2k+1 a following word. Only entries whose first word is
 * capitalised (or the whole sentence is upper case) match.
 */
export function gazetteerFlags(words: readonly string[], lowers: readonly string[], capsSentence: boolean): Uint16Array {
  const lx = lexicon();
  const n = words.length;
  const flags = new Uint16Array(n);
  const single: [Set<string>, number][] = [
    [lx.countries, 0],
    [lx.cities, 1],
    [lx.nationalities, 2],
    [lx.organizations, 3],
    [lx.outlets, 4],
  ];
  for (let i = 0; i < n; i++) {
    const w = words[i];
    const c0 = w.charCodeAt(0);
    const cap = capsSentence || (c0 >= 65 && c0 <= 90) || (c0 > 127 && w[0] !== w[0].toLowerCase());
    if (!cap) continue;
    const lw = lowers[i];
    for (const [set, k] of single) if (set.has(lw)) flags[i] |= 1 << (2 * k);
    const tk = lw.endsWith('.') ? lw.slice(0, -1) : lw;
    if (lx.titles.has(tk)) flags[i] |= 1 << 10;
    if (lx.givenNames.has(lw)) flags[i] |= 1 << 12;
    if (lx.personNames.has(lw)) flags[i] |= 1 << 14;
    const list = lx.phrases.get(lw);
    if (list) {
      for (const p of list) {
        const m = p.words.length;
        if (i + m > n) continue;
        let ok = true;
        for (let j = 1; j < m; j++) if (lowers[i + j] !== p.words[j]) { ok = false; break; }
        if (!ok) continue;
        flags[i] |= 1 << (2 * p.cls);
        for (let j = 1; j < m; j++) flags[i + j] |= 1 << (2 * p.cls + 1);
      }
    }
  }
  return flags;
}
