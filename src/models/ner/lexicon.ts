/**
 * Gazetteers shared by the NER tagger (as features) and the entities stage
 * (to type and clean spans). They come from npm packages that ship their
 * data and from the hand-written lists in ./data (each file says where it
 * came from); compile-lexicon.ts compiles them all into one file,
 * data/lexicon.bin: one string of entries with a ready hash table over it
 * (an entry's classes are bits), which this module maps once, lazily, so
 * start-up neither requires the packages nor builds ~110,000-entry sets.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { hashString } from './hash.ts';

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

/** Bits of an entry's classes in the compiled file. */
export const FLAG = {
  country: 1 << 0,
  city: 1 << 1,
  capital: 1 << 2,
  nat: 1 << 3,
  org: 1 << 4,
  outlet: 1 << 5,
  title: 1 << 6,
  titleMale: 1 << 7,
  titleFemale: 1 << 8,
  titleCourtesy: 1 << 9,
  givenMale: 1 << 10,
  givenFemale: 1 << 11,
  person: 1 << 12,
} as const;

/** Where the compiled gazetteers live. */
export const COMPILED_LEXICON = fileURLToPath(new URL('./data/lexicon.bin', import.meta.url));

/** FNV-1a over the UTF-16 code units of s: the compiled table's hash. */
export const hashKey: (s: string) => number = hashString;

/** A read-only set of lower-case entries. */
export interface WordSet {
  has(word: string): boolean;
}
/** A read-only map from lower-case entries to a value. */
export interface WordMap<V> extends WordSet {
  get(word: string): V | undefined;
}

export interface Lexicon {
  /** Lower-cased single- or multi-word entries, words joined by one space. */
  countries: WordSet;
  /** Capitals (world-countries) and cities of 50,000 or more (data/cities.txt): a tagger feature only. */
  cities: WordSet;
  /** Capital cities: safe to type as places. */
  capitals: WordSet;
  nationalities: WordSet;
  organizations: WordSet;
  outlets: WordSet;
  titles: WordMap<TitleInfo>;
  /** Given names with a gender (gender-detection-from-name, English list first). */
  givenNames: WordMap<Gender>;
  /** Given names and surnames (@cspell/dict-people-names). */
  personNames: WordSet;
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

/** The compiled entries: one string, each entry's key range and class bits, and an open-addressing index. */
interface Table {
  text: string;
  keyStart: Int32Array;
  keyLength: Uint16Array;
  flags: Uint16Array;
  /** slot → entry index + 1 (0: empty). */
  slots: Int32Array;
}

let table: Table | null = null;

interface SmallLists {
  countries: string[];
  capitals: string[];
  nationalities: string[];
  organizations: string[];
  outlets: string[];
  /** [title, 'male' | 'female' | '', courtesy 1 | 0] */
  titles: [string, string, number][];
}

function loadTable(buf: Buffer): { table: Table; phrases: (number | string)[][]; small: SmallLists } {
  if (buf.toString('latin1', 0, 4) !== 'UNLX') throw new Error(`${COMPILED_LEXICON}: not a compiled lexicon (run src/models/ner/compile-lexicon.ts)`);
  const hl = buf.readUInt32LE(4);
  const header = JSON.parse(buf.toString('utf8', 8, 8 + hl)) as { version: number; count: number; cap: number; textLength: number; phrases: (number | string)[][]; small: SmallLists };
  // Copy the arrays into one aligned buffer (the file's Buffer may sit at any offset of a shared pool).
  let off = 8 + hl;
  const bytes = header.cap * 4 + header.count * 8;
  const arrays = new Uint8Array(bytes);
  arrays.set(buf.subarray(off, off + bytes));
  const slots = new Int32Array(arrays.buffer, 0, header.cap);
  const keyStart = new Int32Array(arrays.buffer, header.cap * 4, header.count);
  const keyLength = new Uint16Array(arrays.buffer, header.cap * 4 + header.count * 4, header.count);
  const flags = new Uint16Array(arrays.buffer, header.cap * 4 + header.count * 6, header.count);
  off += bytes;
  const text = buf.toString('utf8', off);
  if (text.length !== header.textLength) throw new Error(`${COMPILED_LEXICON}: damaged (text length)`);
  return { table: { text, keyStart, keyLength, flags, slots }, phrases: header.phrases, small: header.small };
}

/** Class bits (FLAG) of a lower-case entry; 0 when the gazetteers do not list it. */
export function lexiconFlags(word: string): number {
  const t = table ?? (lexicon(), table!);
  const mask = t.slots.length - 1;
  const n = word.length;
  const text = t.text;
  for (let slot = hashKey(word) & mask; ; slot = (slot + 1) & mask) {
    const k = t.slots[slot]!;
    if (k === 0) return 0;
    if (t.keyLength[k - 1] !== n) continue;
    const a = t.keyStart[k - 1]!;
    let i = 0;
    while (i < n && text.charCodeAt(a + i) === word.charCodeAt(i)) i++;
    if (i === n) return t.flags[k - 1]!;
  }
}

const setOf = (bit: number): WordSet => ({ has: (w) => (lexiconFlags(w) & bit) !== 0 });
const genderOf = (f: number): Gender | undefined => (f & FLAG.givenMale ? 'male' : f & FLAG.givenFemale ? 'female' : undefined);

let cached: Lexicon | null = null;

export function lexicon(): Lexicon {
  if (cached) return cached;
  const loaded = loadTable(readFileSync(COMPILED_LEXICON));
  table = loaded.table;
  const phrases = new Map<string, { words: string[]; cls: number }[]>();
  for (const [cls, ...words] of loaded.phrases) {
    const ws = words as string[];
    let list = phrases.get(ws[0]!);
    if (!list) phrases.set(ws[0]!, (list = []));
    list.push({ words: ws, cls: cls as number });
  }
  for (const list of phrases.values()) list.sort((a, b) => b.words.length - a.words.length);

  const small = loaded.small;
  const titles = new Map<string, TitleInfo>();
  for (const [t, g, c] of small.titles) titles.set(t, { gender: g === 'male' || g === 'female' ? g : null, courtesy: c === 1 });
  cached = {
    countries: new Set(small.countries),
    cities: setOf(FLAG.city),
    capitals: new Set(small.capitals),
    nationalities: new Set(small.nationalities),
    organizations: new Set(small.organizations),
    outlets: new Set(small.outlets),
    titles,
    givenNames: { has: (w) => (lexiconFlags(w) & (FLAG.givenMale | FLAG.givenFemale)) !== 0, get: (w) => genderOf(lexiconFlags(w)) },
    personNames: setOf(FLAG.person),
    phrases,
  };
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
  const f = lexiconFlags(lw);
  let g = 0;
  if (f & FLAG.country) g |= 1 << 0;
  if (f & FLAG.city) g |= 1 << 2;
  if (f & FLAG.nat) g |= 1 << 4;
  if (f & FLAG.org) g |= 1 << 6;
  if (f & FLAG.outlet) g |= 1 << 8;
  if ((lw.endsWith('.') ? lexiconFlags(lw.slice(0, -1)) : f) & FLAG.title) g |= 1 << 10;
  if (f & (FLAG.givenMale | FLAG.givenFemale)) g |= 1 << 12;
  if (f & FLAG.person) g |= 1 << 14;
  return g;
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
