/**
 * Word-token hashes without building token strings: the hashes
 * `fnv(t, WORD_SEED)` of the tokens `wordTokens(text.slice(start, end))`
 * returns, computed by a hand-written scanner that follows the tokenizer's
 * regular expression code point by code point. Tokens are lower-cased code
 * unit by code unit through a table built from `toLowerCase` itself; a token
 * with a code unit whose lower case depends on context or is longer (final
 * sigma, U+0130, surrogate pairs) is sliced and lower-cased exactly as
 * `wordTokens` does.
 *
 * `tokenHashes(text, start, end)` memoises the result for the last few
 * documents, so every model that hashes word n-grams of the same article and
 * sentences (frames, genre, narratives) tokenises each of them once.
 */
import { FNV_PRIME } from './hashing.ts';

/** Seed of the word-token hashes the vectorizer combines into n-grams. */
export const WORD_SEED = 0x1234567;

const WORD = 1;
const SPACE = 2;
const OTHER = 3;
const WORD_RE = /^[\p{L}\p{M}\p{N}]$/u;
const SPACE_RE = /^\s$/u;

/** Class of each BMP code unit (0: not computed yet). Surrogates are classed as lone. */
const BMP_CLASS = new Int8Array(65536);

function classify(s: string): number {
  return WORD_RE.test(s) ? WORD : SPACE_RE.test(s) ? SPACE : OTHER;
}

for (let c = 0; c < 128; c++) BMP_CLASS[c] = classify(String.fromCharCode(c));

function bmpClass(c: number): number {
  let k = BMP_CLASS[c];
  if (k === 0) {
    k = c >= 0xd800 && c <= 0xdfff ? OTHER : classify(String.fromCharCode(c));
    BMP_CLASS[c] = k;
  }
  return k;
}

/** Code point at p, reading a surrogate pair only when both halves lie before `end`. */
function codePointAt(text: string, p: number, end: number): number {
  const c = text.charCodeAt(p);
  if (c >= 0xd800 && c <= 0xdbff && p + 1 < end) {
    const d = text.charCodeAt(p + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
  }
  return c;
}

function classOf(cp: number): number {
  return cp < 0x10000 ? bmpClass(cp) : classify(String.fromCodePoint(cp));
}

/**
 * Lower case of each BMP code unit when `toLowerCase` maps it to one code
 * unit whatever surrounds it (0: not computed yet; -1: no such mapping, i.e.
 * surrogates, U+0130 (two code units) and U+03A3 (final sigma depends on context)).
 * `’` maps to `'` as `wordTokens` straightens it.
 */
const BMP_LOWER = new Int32Array(65536);

function lowerOf(c: number): number {
  let l = BMP_LOWER[c];
  if (l === 0) {
    if ((c >= 0xd800 && c <= 0xdfff) || c === 0x130 || c === 0x3a3) l = -1;
    else if (c === 0x2019) l = 39;
    else {
      const s = String.fromCharCode(c).toLowerCase();
      l = s.length === 1 ? s.charCodeAt(0) : -1;
    }
    BMP_LOWER[c] = l;
  }
  return l;
}

/** FNV-1a of the token text[a, b) as `wordTokens` spells it (lower-cased, ’ → '). */
function tokenHash(text: string, a: number, b: number): number {
  let h = WORD_SEED;
  for (let p = a; p < b; p++) {
    let c = text.charCodeAt(p);
    if (c >= 128) {
      c = lowerOf(c);
      if (c < 0) return slowTokenHash(text, a, b);
    } else if (c >= 65 && c <= 90) c += 32;
    h = Math.imul(h ^ c, FNV_PRIME);
  }
  return h;
}

function slowTokenHash(text: string, a: number, b: number): number {
  let s = text.slice(a, b).toLowerCase();
  if (s.indexOf('’') >= 0) s = s.replace(/’/g, "'");
  let h = WORD_SEED;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Start of the token the last `nextToken` call found. */
export let tokenStart = 0;

/**
 * The next token of text[p, end) as the tokenizer's regular expression
 * `[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]` finds it
 * (matching against text.slice(p, end)): returns its end and sets `tokenStart`,
 * or returns -1 when no token is left.
 */
export function nextToken(text: string, p: number, end: number): number {
  while (p < end) {
    let cp = codePointAt(text, p, end);
    const k = classOf(cp);
    if (k === SPACE) {
      p += cp > 0xffff ? 2 : 1;
      continue;
    }
    tokenStart = p;
    p += cp > 0xffff ? 2 : 1;
    if (k === WORD) {
      // [\p{L}\p{M}\p{N}]+ (?: ['’-] [\p{L}\p{M}\p{N}]+ )*
      for (;;) {
        while (p < end) {
          cp = codePointAt(text, p, end);
          if (classOf(cp) !== WORD) break;
          p += cp > 0xffff ? 2 : 1;
        }
        if (p + 1 >= end) break;
        const sep = text.charCodeAt(p);
        if (sep !== 39 && sep !== 0x2019 && sep !== 45) break;
        cp = codePointAt(text, p + 1, end);
        if (classOf(cp) !== WORD) break;
        p += 1 + (cp > 0xffff ? 2 : 1);
      }
    }
    return p;
  }
  return -1;
}

let scratch = new Int32Array(1024);

/**
 * Hashes of `wordTokens(text.slice(start, end))`, each `fnv(token, WORD_SEED)`
 * stored as a signed 32-bit integer (as an Int32Array holds it).
 */
export function wordTokenHashes(text: string, start = 0, end = text.length): Int32Array {
  let out = scratch;
  let n = 0;
  let p = start;
  let e: number;
  while ((e = nextToken(text, p, end)) >= 0) {
    if (n === out.length) {
      const grown = new Int32Array(out.length * 2);
      grown.set(out);
      out = scratch = grown;
    }
    out[n++] = tokenHash(text, tokenStart, e);
    p = e;
  }
  return out.slice(0, n);
}

interface DocEntry {
  text: string;
  ranges: Map<number, Int32Array>;
}

const MEMO_DOCS = 4;
const MEMO_RANGES = 4096;
const memo: DocEntry[] = [];

/**
 * `wordTokenHashes(text, start, end)`, remembered for the last few distinct
 * texts (most recent first) and every range asked of them. Treat the result
 * as read-only: it is shared with the next caller.
 */
export function tokenHashes(text: string, start = 0, end = text.length): Int32Array {
  let e: DocEntry | undefined;
  for (let i = 0; i < memo.length; i++) {
    if (memo[i].text === text) {
      e = memo[i];
      if (i > 0) {
        memo.splice(i, 1);
        memo.unshift(e);
      }
      break;
    }
  }
  if (!e) {
    e = { text, ranges: new Map() };
    memo.unshift(e);
    if (memo.length > MEMO_DOCS) memo.pop();
  }
  const key = start * 0x100000000 + end;
  let h = e.ranges.get(key);
  if (!h) {
    h = wordTokenHashes(text, start, end);
    if (e.ranges.size >= MEMO_RANGES) e.ranges.clear();
    e.ranges.set(key, h);
  }
  return h;
}
