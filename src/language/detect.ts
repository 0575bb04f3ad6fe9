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
}

function index(profiles: Profile[]): Compiled {
  const words = new Map<string, number[]>();
  const chars = new Map<string, [number, number][]>();
  profiles.forEach((p, i) => {
    for (const w of p.words) words.set(w, [...(words.get(w) ?? []), i]);
    for (const [ch, wgt] of p.chars) chars.set(ch, [...(chars.get(ch) ?? []), [i, wgt]]);
  });
  return { codes: profiles.map((p) => p.code), words, chars };
}

const LATIN_INDEX = index(LATIN);
const CYRILLIC_INDEX = index(CYRILLIC);
const WORD = /\p{L}+/gu;

function scoreProfiles(text: string, c: Compiled): LanguageGuess {
  const scores = new Array<number>(c.codes.length).fill(0);
  let tokens = 0;
  let hits = 0;
  const lower = text.toLowerCase();
  WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = WORD.exec(lower))) {
    const w = m[0];
    tokens++;
    const langs = c.words.get(w);
    if (langs) {
      hits++;
      for (const i of langs) scores[i] += 1;
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
