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

const SCRIPTS: [string, RegExp][] = [
  ['latin', /\p{Script=Latin}/u],
  ['cyrillic', /\p{Script=Cyrillic}/u],
  ['greek', /\p{Script=Greek}/u],
  ['arabic', /\p{Script=Arabic}/u],
  ['hebrew', /\p{Script=Hebrew}/u],
  ['devanagari', /\p{Script=Devanagari}/u],
  ['hangul', /\p{Script=Hangul}/u],
  ['kana', /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
  ['han', /\p{Script=Han}/u],
  ['thai', /\p{Script=Thai}/u],
  ['armenian', /\p{Script=Armenian}/u],
  ['georgian', /\p{Script=Georgian}/u],
];

const MAX_CHARS = 12000;
const UND: LanguageGuess = { language: 'und', confidence: 0 };

function dominantScript(text: string): { script: string; letters: number; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  let letters = 0;
  for (const m of text.matchAll(/\p{L}/gu)) {
    const ch = m[0];
    letters++;
    // Fast path for ASCII letters.
    if (ch < '\u0080') {
      counts.set('latin', (counts.get('latin') ?? 0) + 1);
      continue;
    }
    for (const [name, re] of SCRIPTS) {
      if (re.test(ch)) {
        counts.set(name, (counts.get(name) ?? 0) + 1);
        break;
      }
    }
  }
  let best = '';
  let bestN = 0;
  for (const [k, n] of counts) if (n > bestN) [best, bestN] = [k, n];
  // Japanese mixes kana and han: any real share of kana makes it Japanese.
  if ((best === 'han' || best === 'kana') && (counts.get('kana') ?? 0) > letters * 0.1) best = 'kana';
  return { script: best, letters, counts };
}

function scoreProfiles(text: string, profiles: Profile[]): LanguageGuess {
  const scores = new Map<string, number>(profiles.map((p) => [p.code, 0]));
  let tokens = 0;
  let hits = 0;
  for (const m of text.toLowerCase().matchAll(/\p{L}+/gu)) {
    const w = m[0];
    tokens++;
    let hit = false;
    for (const p of profiles) {
      if (p.words.has(w)) {
        scores.set(p.code, scores.get(p.code)! + 1);
        hit = true;
      }
    }
    if (hit) hits++;
    if (w.length > 1 || w > '\u007f') {
      for (const ch of w) {
        if (ch < '\u0080') continue;
        for (const p of profiles) {
          const wgt = p.chars.get(ch);
          if (wgt) scores.set(p.code, scores.get(p.code)! + wgt);
        }
      }
    }
  }
  if (tokens < 3 || hits < 2) return UND;
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
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
  if (script === 'latin') return scoreProfiles(sample, LATIN);
  if (script === 'cyrillic') return scoreProfiles(sample, CYRILLIC);
  const code = SCRIPT_LANG[script];
  if (!code) return UND;
  return { language: code, confidence: letters >= 40 ? 0.9 : 0.6 };
}
