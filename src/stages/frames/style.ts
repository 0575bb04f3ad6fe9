/**
 * Document style features for the article-level models: how much the text
 * speaks in the first or second person, reports speech, quotes, asks,
 * exclaims, counts and dates — signals that separate reporting from opinion
 * and satire across topics. Word lists live in style-words.json (data).
 * Values are rates per 100 tokens (or per 100 characters for digits), plus
 * the log length; the trainer standardises them.
 */
import { readFileSync } from 'node:fs';
import { wordTokens } from '../../ml/tokenize.ts';

type Lists = Record<'first_singular' | 'first_plural' | 'second' | 'reporting' | 'weekdays', string[]>;

const RAW = JSON.parse(readFileSync(new URL('./style-words.json', import.meta.url), 'utf8')) as Record<string, Lists | string>;
const LISTS = new Map<string, Map<string, number>>();
const KEYS = ['first_singular', 'first_plural', 'second', 'reporting', 'weekdays'] as const;
for (const [lang, v] of Object.entries(RAW)) {
  if (typeof v === 'string') continue;
  const m = new Map<string, number>();
  KEYS.forEach((k, i) => v[k].forEach((w) => m.set(w.toLowerCase(), i)));
  LISTS.set(lang, m);
}

export const STYLE_FEATURES = ['log_tokens', ...KEYS, 'quote_marks', 'question_marks', 'exclamation_marks', 'digits', 'all_caps_words'] as const;

export function styleFeatures(text: string, lang: string): number[] {
  const toks = wordTokens(text);
  const words = toks.filter((t) => /[\p{L}\p{N}]/u.test(t));
  const n = Math.max(1, words.length);
  const list = LISTS.get(lang);
  const hits = new Array<number>(KEYS.length).fill(0);
  if (list) for (const w of words) {
    const k = list.get(w);
    if (k !== undefined) hits[k]++;
  }
  let quotes = 0, q = 0, excl = 0, digits = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '“' || c === '”' || c === '«' || c === '»' || c === '„') quotes++;
    else if (c === '?') q++;
    else if (c === '!') excl++;
    else if (c >= '0' && c <= '9') digits++;
  }
  let caps = 0;
  for (const m of text.matchAll(/\p{L}{2,}/gu)) if (m[0] === m[0].toUpperCase() && m[0] !== m[0].toLowerCase()) caps++;
  const per100 = (x: number) => (100 * x) / n;
  return [
    Math.log(n),
    ...hits.map(per100),
    per100(quotes),
    per100(q),
    per100(excl),
    (100 * digits) / Math.max(1, text.length),
    per100(caps),
  ];
}
