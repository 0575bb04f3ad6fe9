/**
 * Paragraph-level features for the technique classifier beyond n-grams:
 * position, length, punctuation and shape, repetition within the article,
 * language, and counts of cue-word lists (cues.json).
 */
import { readFileSync } from 'node:fs';
import { wordTokens } from '../../ml/tokenize.ts';
import { fromDense, type SparseVec } from '../../ml/sparse.ts';

const CUES_PATH = new URL('./cues.json', import.meta.url);

export interface CueLists {
  names: string[];
  /** Single-token cues: token → list indices. */
  single: Map<string, number[]>;
  /** Multi-token cues per list. */
  multi: { list: number; tokens: string[] }[];
  /** First token → indices into `multi` of the cues that start with it. */
  multiByFirst: Map<string, number[]>;
}

let cached: CueLists | null = null;

export function loadCues(): CueLists {
  if (cached) return cached;
  const raw = JSON.parse(readFileSync(CUES_PATH, 'utf8')) as { en: Record<string, string[]> };
  const names = Object.keys(raw.en);
  const single = new Map<string, number[]>();
  const multi: { list: number; tokens: string[] }[] = [];
  names.forEach((n, li) => {
    for (const entry of raw.en[n]) {
      const toks = wordTokens(entry);
      if (toks.length === 1) {
        const l = single.get(toks[0]) ?? [];
        l.push(li);
        single.set(toks[0], l);
      } else if (toks.length > 1) multi.push({ list: li, tokens: toks });
    }
  });
  const multiByFirst = new Map<string, number[]>();
  multi.forEach((m, i) => {
    const l = multiByFirst.get(m.tokens[0]) ?? [];
    l.push(i);
    multiByFirst.set(m.tokens[0], l);
  });
  cached = { names, single, multi, multiByFirst };
  return cached;
}

export const LANGS = ['en', 'fr', 'ge', 'it', 'po', 'ru'];

export interface ParagraphContext {
  /** 0-based position among the article's non-blank lines. */
  position: number;
  count: number;
  lang: string;
  /** Token counts over the whole article. */
  articleCounts: Map<string, number>;
  meanTokens: number;
}

const WORDISH = /^[\p{L}\p{N}]/u;
const CAPS = /\b\p{Lu}{2,}\b/gu;
const DIGIT_START = /^\p{N}/u;

/** WORDISH.test(t) with an ASCII fast path. */
function wordish(t: string): boolean {
  const c = t.charCodeAt(0);
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return WORDISH.test(t);
}

/** DIGIT_START.test(t) with an ASCII fast path. */
function digitStart(t: string): boolean {
  const c = t.charCodeAt(0);
  if (c < 128) return c >= 48 && c <= 57;
  return DIGIT_START.test(t);
}

export function articleCounts(paragraphTokens: string[][]): Map<string, number> {
  const m = new Map<string, number>();
  for (const toks of paragraphTokens) for (const t of toks) if (t.length >= 4 && wordish(t)) m.set(t, (m.get(t) ?? 0) + 1);
  return m;
}

export function denseNames(): string[] {
  return [
    'is_title', 'rel_position', 'log_tokens', 'len_ratio', 'q_marks', 'excl', 'quote_marks', 'allcaps', 'digits',
    'repeat_count', 'repeat_frac', ...LANGS.map((l) => `lang_${l}`), ...loadCues().names.map((n) => `cue_${n}`),
  ];
}

/** Dense features of one paragraph. `text` is the raw paragraph, `tokens` its `wordTokens`. */
export function denseFeatures(text: string, tokens: string[], ctx: ParagraphContext): number[] {
  const cues = loadCues();
  const f: number[] = [];
  const n = tokens.length;
  f.push(ctx.position === 0 ? 1 : 0);
  f.push(ctx.count > 1 ? ctx.position / (ctx.count - 1) : 0);
  f.push(Math.log1p(n) / 3);
  f.push(Math.min(3, n / Math.max(1, ctx.meanTokens)) / 3);
  let q = 0, e = 0, quotes = 0;
  // the CAPS regex can only match where two upper-case letters are adjacent: two
  // adjacent A–Z, or something with a non-ASCII character outside the Latin-1
  // and General Punctuation symbol ranges (curly quotes, dashes: never letters)
  let mayCaps = false;
  let prevUpper = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3f) q++; // ?
    else if (c === 0x21) e++; // !
    else if (c === 0x22 || c === 0x201c || c === 0x201d || c === 0xab || c === 0xbb || c === 0x201e) quotes++; // " “ ” « » „
    const upper = c >= 65 && c <= 90;
    if ((upper && prevUpper) || (c >= 128 && !(c >= 0xa0 && c <= 0xbf) && !(c >= 0x2000 && c <= 0x206f))) mayCaps = true;
    prevUpper = upper;
  }
  f.push(Math.log1p(q), Math.log1p(e), Math.log1p(quotes));
  let caps = 0;
  if (mayCaps) {
    CAPS.lastIndex = 0;
    while (CAPS.exec(text)) caps++;
  }
  let digits = 0;
  for (const t of tokens) if (digitStart(t)) digits++;
  f.push(Math.log1p(caps), Math.log1p(digits));
  // repetition: content words of this paragraph that occur at least twice elsewhere in the article
  const local = new Map<string, number>();
  for (const t of tokens) if (t.length >= 4 && wordish(t)) local.set(t, (local.get(t) ?? 0) + 1);
  let rep = 0;
  for (const [t, c] of local) if ((ctx.articleCounts.get(t) ?? 0) - c >= 2) rep++;
  f.push(Math.log1p(rep), local.size ? rep / local.size : 0);
  for (const l of LANGS) f.push(ctx.lang === l ? 1 : 0);
  const counts = new Array<number>(cues.names.length).fill(0);
  for (let i = 0; i < n; i++) {
    const hit = cues.single.get(tokens[i]);
    if (hit) for (const li of hit) counts[li]++;
  }
  if (cues.multi.length) {
    // non-overlapping occurrences of each multi-token cue, leftmost first
    // (what searching ` ${tokens.join(' ')} ` for ` ${cue} ` repeatedly counts)
    let next: Int32Array | null = null;
    for (let i = 0; i < n; i++) {
      const starts = cues.multiByFirst.get(tokens[i]);
      if (!starts) continue;
      for (const mi of starts) {
        const m = cues.multi[mi];
        const len = m.tokens.length;
        if (i + len > n || (next && i < next[mi])) continue;
        let k = 1;
        while (k < len && tokens[i + k] === m.tokens[k]) k++;
        if (k < len) continue;
        counts[m.list]++;
        next ??= new Int32Array(cues.multi.length);
        next[mi] = i + len;
      }
    }
  }
  for (const c of counts) f.push(Math.log1p(c));
  return f;
}

export function denseSparse(text: string, tokens: string[], ctx: ParagraphContext): SparseVec {
  return fromDense(denseFeatures(text, tokens, ctx));
}
