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
import { tokenizeWithOffsets } from '../../ml/tokenize.ts';

const CUE_KEYS = ['attribution', 'first_singular', 'first_plural', 'second', 'modal', 'evaluative', 'intensifier', 'hedge', 'honorific', 'time', 'institution'] as const;
type CueKey = (typeof CUE_KEYS)[number];

interface CueSet {
  /** single-token cue → its list indices */
  single: Map<string, number[]>;
  /** multi-token cues, as token arrays with their list index */
  multi: { toks: string[]; k: number }[];
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
  return { single, multi };
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

/** One value per name in GENRE_FEATURES. */
export function genreFeatures(text: string): number[] {
  CUES ??= loadCues();
  const paragraphs = text.split(/\n/).map((p) => p.trim()).filter((p) => /\p{L}/u.test(p));
  const title = paragraphs[0] ?? '';
  const body = paragraphs.slice(1);
  const sents = body.flatMap(sentences);
  const nSent = Math.max(1, sents.length);
  const toks = tokenizeWithOffsets(text);
  const words = toks.filter((t) => /[\p{L}\p{N}]/u.test(t.text));
  const nWords = Math.max(1, words.length);
  const lower = words.map((w) => w.text.toLowerCase().replace(/’/g, "'"));

  const hits = new Array<number>(CUE_KEYS.length).fill(0);
  lower.forEach((w, i) => {
    for (const k of CUES!.single.get(w) ?? []) hits[k]++;
    for (const m of CUES!.multi) if (m.toks[0] === w && m.toks.every((t, j) => lower[i + j] === t)) hits[m.k]++;
  });

  const attribution = CUE_KEYS.indexOf('attribution');
  const attrSingles = new Set([...CUES.single].filter(([, ks]) => ks.includes(attribution)).map(([w]) => w));
  const attrMulti = CUES.multi.filter((m) => m.k === attribution).map((m) => m.toks.join(' '));
  let attributed = 0, quoted = 0, questions = 0, exclaims = 0;
  for (const s of sents) {
    const sl = s.toLowerCase().replace(/’/g, "'");
    const st = sl.match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? [];
    if (st.some((w) => attrSingles.has(w)) || attrMulti.some((m) => sl.includes(m))) attributed++;
    if (/["“”«»„]/.test(s)) quoted++;
    if (/\?["”’)]?\s*$/.test(s)) questions++;
    if (/!["”’)]?\s*$/.test(s)) exclaims++;
  }

  let capsInner = 0, allCaps = 0, contractions = 0, longWords = 0;
  for (let i = 0; i < words.length; i++) {
    const w = words[i].text;
    // what lies between the previous word and this one: a sentence end or line break means a capital is not a name
    const prev = i > 0 ? text.slice(words[i - 1].end, words[i].start) : '.';
    if (/^\p{Lu}\p{Ll}/u.test(w) && !/[.!?:"“\n]/.test(prev)) capsInner++;
    if (w.length >= 2 && /^\p{Lu}+$/u.test(w)) allCaps++;
    if (/['’](?:t|re|ve|ll|m|d)$/i.test(w)) contractions++;
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
