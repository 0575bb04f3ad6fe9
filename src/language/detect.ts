import { readFileSync } from 'node:fs';

/**
 * Language identification from function words and distinctive letters.
 * Profiles are data (profiles.json, written for this project); they are
 * loaded and compiled once at start-up. The detector reads at most the first
 * ~12,000 characters, so it costs well under a millisecond per article.
 */
export interface LanguageGuess {
  /** ISO 639-1 code, or 'und' when the text is too short or unclear. */
  language: string;
  /** 0..1: how clearly the best language beat the runner-up. 0 for 'und'. */
  confidence: number;
}

interface Profile {
  code: string;
  words: Set<string>;
  chars: Map<string, number>;
}

interface RawProfile {
  words: string[];
  chars: Record<string, number>;
}

type RawProfiles = {
  latin: Record<string, RawProfile>;
  cyrillic: Record<string, RawProfile>;
  scripts: Record<string, string>;
};

function compile(group: Record<string, RawProfile>): Profile[] {
  return Object.entries(group).map(([code, p]) => ({
    code,
    words: new Set(p.words.map((w) => w.toLowerCase())),
    chars: new Map(Object.entries(p.chars)),
  }));
}

const raw = JSON.parse(readFileSync(new URL('./profiles.json', import.meta.url), 'utf8')) as RawProfiles;
const LATIN = compile(raw.latin);
const CYRILLIC = compile(raw.cyrillic);
const SCRIPT_LANG = raw.scripts;

/** Languages the detector can name. */
export const SUPPORTED_LANGUAGES: string[] = [
  ...LATIN.map((p) => p.code),
  ...CYRILLIC.map((p) => p.code),
  ...Object.entries(SCRIPT_LANG).filter(([k]) => !k.startsWith('_')).map(([, v]) => v),
];

/** Unicode blocks of each script (letters only need to fall in the right block). */
const SCRIPT_RANGES: [number, number, string][] = [
  [0x00c0, 0x024f, 'latin'],
  [0x1e00, 0x1eff, 'latin'],
  [0x0370, 0x03ff, 'greek'],
  [0x1f00, 0x1fff, 'greek'],
  [0x0400, 0x052f, 'cyrillic'],
  [0x0530, 0x058f, 'armenian'],
  [0x0590, 0x05ff, 'hebrew'],
  [0x0600, 0x06ff, 'arabic'],
  [0x0750, 0x077f, 'arabic'],
  [0x0900, 0x097f, 'devanagari'],
  [0x0e00, 0x0e7f, 'thai'],
  [0x10a0, 0x10ff, 'georgian'],
  [0x1100, 0x11ff, 'hangul'],
  [0x3040, 0x30ff, 'kana'],
  [0x3400, 0x4dbf, 'han'],
  [0x4e00, 0x9fff, 'han'],
  [0xac00, 0xd7af, 'hangul'],
];

const MAX_CHARS = 4000;
const UND: LanguageGuess = { language: 'und', confidence: 0 };

function scriptOf(code: number): string | null {
  for (const [lo, hi, name] of SCRIPT_RANGES) if (code >= lo && code <= hi) return name;
  return null;
}

function dominantScript(text: string): { script: string; letters: number } {
  const counts = new Map<string, number>();
  let letters = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a)) {
        latin++;
        letters++;
      }
      continue;
    }
    if (c === 0xd7 || c === 0xf7) continue;
    const s = scriptOf(c);
    if (!s) continue;
    letters++;
    counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  counts.set('latin', (counts.get('latin') ?? 0) + latin);
  let best = '';
  let bestN = 0;
  for (const [k, n] of counts) if (n > bestN) [best, bestN] = [k, n];
  // Japanese mixes kana and han: any real share of kana makes it Japanese.
  if ((best === 'han' || best === 'kana') && (counts.get('kana') ?? 0) > letters * 0.1) best = 'kana';
  return { script: best, letters };
}

interface Compiled {
  codes: string[];
  /** word → indexes of the profiles that list it */
  words: Map<string, number[]>;
  /** character → [profile index, weight] pairs */
  chars: Map<string, [number, number][]>;
  /** Length of the longest word in `words`. */
  maxWord: number;
  /** Hash table over `words`: slot → entry index + 1 (0 = empty). */
  slots: Int32Array;
  entryWords: string[];
  entryLangs: number[][];
}

function fnv(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The profiles listing s[from, to) as a word, or undefined (same as words.get(s.slice(from, to))). */
function lookup(c: Compiled, s: string, from: number, to: number): number[] | undefined {
  const mask = c.slots.length - 1;
  const len = to - from;
  for (let h = fnv(s, from, to) & mask; ; h = (h + 1) & mask) {
    const k = c.slots[h]!;
    if (k === 0) return undefined;
    const w = c.entryWords[k - 1]!;
    if (w.length !== len) continue;
    let same = true;
    for (let j = 0; j < len; j++) {
      if (w.charCodeAt(j) !== s.charCodeAt(from + j)) {
        same = false;
        break;
      }
    }
    if (same) return c.entryLangs[k - 1];
  }
}

function index(profiles: Profile[]): Compiled {
  const words = new Map<string, number[]>();
  const chars = new Map<string, [number, number][]>();
  profiles.forEach((p, i) => {
    for (const w of p.words) words.set(w, [...(words.get(w) ?? []), i]);
    for (const [ch, wgt] of p.chars) chars.set(ch, [...(chars.get(ch) ?? []), [i, wgt]]);
  });
  let maxWord = 0;
  for (const w of words.keys()) maxWord = Math.max(maxWord, w.length);
  // Open-addressing table over the words (FNV-1a of the characters), so a lookup needs no substring.
  let cap = 16;
  while (cap < words.size * 4) cap <<= 1;
  const slots = new Int32Array(cap);
  const entries = [...words];
  entries.forEach(([w], k) => {
    let h = fnv(w, 0, w.length) & (cap - 1);
    while (slots[h] !== 0) h = (h + 1) & (cap - 1);
    slots[h] = k + 1;
  });
  return { codes: profiles.map((p) => p.code), words, chars, maxWord, slots, entryWords: entries.map((e) => e[0]), entryLangs: entries.map((e) => e[1]) };
}

const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const LETTER = /^\p{L}$/u;
/** Per BMP code unit: 0 unknown yet, 1 letter, 2 not a letter. */
const LETTER_BMP = new Uint8Array(0x10000);
for (let c = 0; c < 128; c++) LETTER_BMP[c] = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) ? 1 : 2;

/** Length in code units of the letter at s[i] (1 or 2), or 0 when s[i] does not start a letter. */
function isLetterAt(s: string, i: number, c: number): number {
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && isLow(s.charCodeAt(i + 1))) return LETTER.test(s.slice(i, i + 2)) ? 2 : 0;
  let k = LETTER_BMP[c]!;
  if (k === 0) LETTER_BMP[c] = k = LETTER.test(String.fromCharCode(c)) ? 1 : 2;
  return k === 1 ? 1 : 0;
}

const LATIN_INDEX = index(LATIN);
const CYRILLIC_INDEX = index(CYRILLIC);

function scoreProfiles(text: string, c: Compiled): LanguageGuess {
  const scores = new Array<number>(c.codes.length).fill(0);
  let tokens = 0;
  let hits = 0;
  const lower = text.toLowerCase();
  // Runs of letters (as /\p{L}+/gu finds them); only runs as short as the longest listed word are looked up.
  const len = lower.length;
  let i = 0;
  while (i < len) {
    let ch = lower.charCodeAt(i);
    let w = isLetterAt(lower, i, ch);
    if (w === 0) {
      i += ch >= 0xd800 && ch <= 0xdbff && i + 1 < len && isLow(lower.charCodeAt(i + 1)) ? 2 : 1;
      continue;
    }
    const start = i;
    do {
      i += w;
      if (i >= len) break;
      ch = lower.charCodeAt(i);
      w = isLetterAt(lower, i, ch);
    } while (w > 0);
    tokens++;
    if (i - start > c.maxWord) continue;
    const langs = lookup(c, lower, start, i);
    if (langs) {
      hits++;
      for (const k of langs) scores[k] += 1;
    }
  }
  for (let i = 0; i < lower.length; i++) {
    if (lower.charCodeAt(i) < 0x80) continue;
    const pairs = c.chars.get(lower[i]);
    if (pairs) for (const [j, wgt] of pairs) scores[j] += wgt;
  }
  if (tokens < 3 || hits < 2) return UND;
  const ranked = scores.map((s, i) => [c.codes[i], s] as const).sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  const top = first[1];
  if (top <= 0) return UND;
  const margin = (top - (second ? second[1] : 0)) / top;
  const coverage = Math.min(1, hits / tokens / 0.3);
  // Too few clues, or a near tie between two languages: say so.
  if (top < 2 || margin < 0.1 || hits / tokens < 0.08) return UND;
  const evidence = Math.min(1, top / 12);
  const confidence = Math.round(Math.min(1, margin * 1.5) * coverage * evidence * 1000) / 1000;
  return { language: first[0], confidence };
}

/** Guess the language of a text. Returns 'und' when it is too short or unclear. */
export function detectLanguage(text: string): LanguageGuess {
  const sample = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  const { script, letters } = dominantScript(sample);
  if (letters < 12) return UND;
  if (script === 'latin') return scoreProfiles(sample, LATIN_INDEX);
  if (script === 'cyrillic') return scoreProfiles(sample, CYRILLIC_INDEX);
  const code = SCRIPT_LANG[script];
  if (!code) return UND;
  return { language: code, confidence: letters >= 40 ? 0.9 : 0.6 };
}
