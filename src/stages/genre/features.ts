/**
 * Article-level style and structure features for the English genre model:
 * how much of the article attributes its statements to sources, quotes,
 * speaks in the first or second person, prescribes ("should", "must"),
 * evaluates, asks or exclaims, counts, dates and names. Opinion pieces and
 * wire reports differ on these whatever the topic. Cue lists are data
 * (cues-en.json). Values are rates (per 100 words, or shares of sentences)
 * plus a few log counts; the trainer standardises them.
 */
import { readFileSync } from 'node:fs';
import { tokenizeWithOffsets, type FeatToken } from '../../ml/tokenize.ts';

const CUE_KEYS = ['attribution', 'first_singular', 'first_plural', 'second', 'modal', 'evaluative', 'intensifier', 'hedge', 'honorific', 'time', 'institution'] as const;
type CueKey = (typeof CUE_KEYS)[number];

interface CueSet {
  /** single-token cue → its list indices */
  single: Map<string, number[]>;
  /** multi-token cues, as token arrays with their list index */
  multi: { toks: string[]; k: number }[];
  /** multi-token cues by their first token */
  multiByFirst: Map<string, { toks: string[]; k: number }[]>;
  /** attribution cues: single tokens, and multi-word cues as lower-case strings */
  attrSingles: Set<string>;
  attrMulti: string[];
}

function loadCues(): CueSet {
  const raw = JSON.parse(readFileSync(new URL('./cues-en.json', import.meta.url), 'utf8')) as Record<string, string[] | string>;
  const single = new Map<string, number[]>();
  const multi: CueSet['multi'] = [];
  CUE_KEYS.forEach((key, k) => {
    const list = raw[key];
    if (!Array.isArray(list)) throw new Error(`cues-en.json: missing list '${key}'`);
    for (const cue of list) {
      const toks = cue.toLowerCase().split(/\s+/);
      if (toks.length === 1) single.set(toks[0], [...(single.get(toks[0]) ?? []), k]);
      else multi.push({ toks, k });
    }
  });
  const multiByFirst = new Map<string, CueSet['multi']>();
  for (const m of multi) multiByFirst.set(m.toks[0], [...(multiByFirst.get(m.toks[0]) ?? []), m]);
  const attribution = CUE_KEYS.indexOf('attribution');
  const attrSingles = new Set([...single].filter(([, ks]) => ks.includes(attribution)).map(([w]) => w));
  const attrMulti = multi.filter((m) => m.k === attribution).map((m) => m.toks.join(' '));
  return { single, multi, multiByFirst, attrSingles, attrMulti };
}

let CUES: CueSet | null = null;

export const GENRE_FEATURES = [
  'log_words',
  'log_paragraphs',
  'words_per_sentence',
  'words_per_paragraph',
  'attributed_sentences',
  'quoted_sentences',
  'quote_marks',
  ...CUE_KEYS.map((k) => `${k}_rate`),
  'question_sentences',
  'exclamation_sentences',
  'title_question_or_exclamation',
  'dateline',
  'numbers',
  'percentages',
  'money',
  'capitalised_inner_words',
  'all_caps_words',
  'parentheses',
  'contractions',
  'long_words',
  'type_token_ratio',
  'links_and_handles',
] as const;

const QUOTE = /["“”«»„]/g;
/** A dateline: place name(s) in capitals, optional agency in parentheses, then a dash, at the start of a paragraph. */
const DATELINE = /^(?:[A-Z][A-Z.'\- ]{2,}(?:, [A-Z][A-Za-z.' ]+)?\s*(?:\([A-Za-z .]+\))?\s*[—–-]|\([A-Z][A-Za-z]+\)\s*[—–-])/;

/** Sentences of a paragraph: ends at . ! ? (after a closing quote, if any) followed by space. */
function sentences(paragraph: string): string[] {
  return paragraph.split(/(?<=[.!?]["”’)]?)\s+(?=["“‘(]?[A-Z0-9])/).filter((s) => /\p{L}/u.test(s));
}

/** Word tokens of the last text seen, shared by genreFeatures and englishStyleFeatures (one article at a time). */
let lastText: string | null = null;
let lastWords: FeatToken[] = [];
let lastLower: string[] = [];

/** Tokens of src/ml/tokenize.ts that hold a letter or digit, and their lower-case forms with ’ straightened. */
export function wordsOf(text: string): { words: FeatToken[]; lower: string[] } {
  if (text !== lastText) {
    const words = tokenizeWithOffsets(text).filter((t) => HAS_WORD_CHAR.test(t.text));
    lastLower = words.map((w) => {
      const l = w.text.toLowerCase();
      return l.indexOf('’') >= 0 ? l.replace(/’/g, "'") : l;
    });
    lastWords = words;
    lastText = text;
  }
  return { words: lastWords, lower: lastLower };
}

const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;

/** The sentence count of the last text genreFeatures saw (genreFeatureShares reuses it). */
let lastSentences: { text: string; n: number } | null = null;

function sentenceCount(text: string): number {
  if (lastSentences?.text === text) return lastSentences.n;
  const paragraphs = text.split(/\n/).map((p) => p.trim()).filter((p) => /\p{L}/u.test(p));
  return Math.max(1, paragraphs.slice(1).flatMap(sentences).length);
}
const isUpperAscii = (c: number) => c >= 65 && c <= 90;
const isLowerAscii = (c: number) => c >= 97 && c <= 122;

/** /^\p{Lu}\p{Ll}/u, with an ASCII fast path. */
function capitalised(w: string): boolean {
  const c0 = w.charCodeAt(0);
  const c1 = w.charCodeAt(1);
  if (c0 < 128 && c1 < 128) return isUpperAscii(c0) && isLowerAscii(c1);
  return /^\p{Lu}\p{Ll}/u.test(w);
}

/** /^\p{Lu}+$/u, with an ASCII fast path. */
function allUpper(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c >= 128) return /^\p{Lu}+$/u.test(w);
    if (!isUpperAscii(c)) return false;
  }
  return true;
}

/** Whether text[from, to) holds a sentence end, colon, opening quote or line break (a capital after it is not a name). */
function breaksName(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 || c === 33 || c === 63 || c === 58 || c === 34 || c === 0x201c || c === 10) return true;
  }
  return false;
}

const CONTRACTION = /['’](?:t|re|ve|ll|m|d)$/i;

/** One value per name in GENRE_FEATURES. */
export function genreFeatures(text: string, lang = 'en'): number[] {
  void lang;
  const cues = (CUES ??= loadCues());
  const paragraphs = text.split(/\n/).map((p) => p.trim()).filter((p) => /\p{L}/u.test(p));
  const title = paragraphs[0] ?? '';
  const body = paragraphs.slice(1);
  const sents = body.flatMap(sentences);
  const nSent = Math.max(1, sents.length);
  lastSentences = { text, n: nSent };
  const { words, lower } = wordsOf(text);
  const nWords = Math.max(1, words.length);

  const hits = new Array<number>(CUE_KEYS.length).fill(0);
  for (let i = 0; i < lower.length; i++) {
    const w = lower[i];
    const ks = cues.single.get(w);
    if (ks) for (const k of ks) hits[k]++;
    const ms = cues.multiByFirst.get(w);
    if (ms) for (const m of ms) if (m.toks.every((t, j) => lower[i + j] === t)) hits[m.k]++;
  }

  let attributed = 0, quoted = 0, questions = 0, exclaims = 0;
  for (const s of sents) {
    const sl = s.toLowerCase().replace(/’/g, "'");
    const st = sl.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
    if (st.some((w) => cues.attrSingles.has(w)) || cues.attrMulti.some((m) => sl.includes(m))) attributed++;
    if (/["“”«»„]/.test(s)) quoted++;
    if (/\?["”’)]?\s*$/.test(s)) questions++;
    if (/!["”’)]?\s*$/.test(s)) exclaims++;
  }

  let capsInner = 0, allCaps = 0, contractions = 0, longWords = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i].text;
    // what lies between the previous word and this one: a sentence end or line break means a capital is not a name
    if (capitalised(w) && (i === 0 ? false : !breaksName(text, words[i - 1].end, words[i].start))) capsInner++;
    if (w.length >= 2 && allUpper(w)) allCaps++;
    if ((w.indexOf("'") >= 0 || w.indexOf('’') >= 0) && CONTRACTION.test(w)) contractions++;
    if (w.length >= 9) longWords++;
  }
  const numbers = (text.match(/\d+(?:[.,]\d+)*/g) ?? []).length;
  const percentages = (text.match(/\d\s?%|\bper ?cent\b/gi) ?? []).length;
  const money = (text.match(/[$£€]\s?\d|\d\s?(?:million|billion|trillion)\b/gi) ?? []).length;
  const parens = (text.match(/\(/g) ?? []).length;
  const links = (text.match(/https?:\/\/|www\.|@\w|pic\.twitter|#\w/g) ?? []).length;
  const dateline = body.slice(0, 2).some((p) => DATELINE.test(p)) ? 1 : 0;
  const types = new Set(lower.slice(0, 400)).size / Math.max(1, Math.min(400, lower.length));
  const per100 = (x: number) => (100 * x) / nWords;

  return [
    Math.log(nWords),
    Math.log(1 + body.length),
    Math.min(80, nWords / nSent),
    Math.min(300, nWords / Math.max(1, body.length)),
    attributed / nSent,
    quoted / nSent,
    per100((text.match(QUOTE) ?? []).length),
    ...hits.map(per100),
    questions / nSent,
    exclaims / nSent,
    /[?!]/.test(title) ? 1 : 0,
    dateline,
    per100(numbers),
    per100(percentages),
    per100(money),
    per100(capsInner),
    per100(allCaps),
    per100(parens),
    per100(contractions),
    per100(longWords),
    types,
    per100(links),
  ];
}

/** Features that are sums over the article's text, so each sentence holds a share of them. */
const SHARED = new Set<string>([
  'attributed_sentences', 'quoted_sentences', 'quote_marks', ...CUE_KEYS.map((k) => `${k}_rate`),
  'question_sentences', 'exclamation_sentences', 'dateline', 'numbers', 'percentages', 'money',
  'capitalised_inner_words', 'all_caps_words', 'parentheses', 'contractions', 'long_words', 'links_and_handles',
]);

/**
 * Each unit's share of the features that add up over the text (`SHARED`):
 * `out[i][f]` is what unit i (a sentence span of `text`) adds to feature f,
 * on the scale of genreFeatures (a cue in a unit adds 100 / words of the
 * article to its rate; an attributed, quoted, asking or exclaiming unit adds
 * 1 / sentences of the article to its share). Length, paragraphing and
 * vocabulary features belong to no unit (0). The split into sentences is the
 * caller's (the segmenter's), so the shares sum to the features only
 * approximately; they are for citing evidence, not for scoring.
 */
export function genreFeatureShares(text: string, units: readonly { start: number; end: number }[]): Float64Array[] {
  const cues = (CUES ??= loadCues());
  const F = GENRE_FEATURES.length;
  const col = (name: string) => GENRE_FEATURES.indexOf(name as (typeof GENRE_FEATURES)[number]);
  const out = units.map(() => new Float64Array(F));
  if (!units.length) return out;
  const nSent = sentenceCount(text);
  const { words, lower } = wordsOf(text);
  const per100 = 100 / Math.max(1, words.length);
  // the unit holding offset `pos`, or -1 (units are ordered and disjoint)
  let cursor = 0;
  const unitAt = (pos: number): number => {
    if (cursor >= units.length || pos < units[cursor].start) cursor = 0;
    while (cursor < units.length && units[cursor].end <= pos) cursor++;
    return cursor < units.length && units[cursor].start <= pos ? cursor : -1;
  };
  const cueCol = CUE_KEYS.map((k) => col(`${k}_rate`));
  const attribution = CUE_KEYS.indexOf('attribution');
  const attributed = new Uint8Array(units.length);
  const [capsCol, allCapsCol, contrCol, longCol] = ['capitalised_inner_words', 'all_caps_words', 'contractions', 'long_words'].map(col);
  for (let i = 0; i < words.length; i++) {
    const u = unitAt(words[i].start);
    if (u < 0) continue;
    const row = out[u];
    const w = lower[i];
    const ks = cues.single.get(w);
    if (ks) for (const k of ks) {
      row[cueCol[k]] += per100;
      if (k === attribution) attributed[u] = 1;
    }
    const ms = cues.multiByFirst.get(w);
    if (ms) for (const m of ms) if (m.toks.every((t, j) => lower[i + j] === t)) {
      row[cueCol[m.k]] += per100;
      if (m.k === attribution) attributed[u] = 1;
    }
    const t = words[i].text;
    if (capitalised(t) && i > 0 && !breaksName(text, words[i - 1].end, words[i].start)) row[capsCol] += per100;
    if (t.length >= 2 && allUpper(t)) row[allCapsCol] += per100;
    if ((t.indexOf("'") >= 0 || t.indexOf('’') >= 0) && CONTRACTION.test(t)) row[contrCol] += per100;
    if (t.length >= 9) row[longCol] += per100;
  }
  const countMatches = (re: RegExp, name: string) => {
    const c = col(name);
    for (const m of text.matchAll(re)) {
      const u = unitAt(m.index);
      if (u >= 0) out[u][c] += per100;
    }
  };
  countMatches(QUOTE, 'quote_marks');
  countMatches(/\d+(?:[.,]\d+)*/g, 'numbers');
  countMatches(/\d\s?%|\bper ?cent\b/gi, 'percentages');
  countMatches(/[$£€]\s?\d|\d\s?(?:million|billion|trillion)\b/gi, 'money');
  countMatches(/\(/g, 'parentheses');
  countMatches(/https?:\/\/|www\.|@\w|pic\.twitter|#\w/g, 'links_and_handles');
  const [attrCol, quotedCol, qCol, exclCol, dateCol] = ['attributed_sentences', 'quoted_sentences', 'question_sentences', 'exclamation_sentences', 'dateline'].map(col);
  units.forEach((u, i) => {
    const s = text.slice(u.start, u.end).trim();
    // an attribution cue among the unit's words
    if (attributed[i]) out[i][attrCol] += 1 / nSent;
    if (/["“”«»„]/.test(s)) out[i][quotedCol] += 1 / nSent;
    if (/\?["”’)]?\s*$/.test(s)) out[i][qCol] += 1 / nSent;
    if (/!["”’)]?\s*$/.test(s)) out[i][exclCol] += 1 / nSent;
    // a dateline opens the unit at the start of a line
    if ((u.start === 0 || text.charCodeAt(u.start - 1) === 10) && DATELINE.test(s)) out[i][dateCol] += 1;
  });
  for (const row of out) for (let f = 0; f < F; f++) if (!SHARED.has(GENRE_FEATURES[f])) row[f] = 0;
  return out;
}
