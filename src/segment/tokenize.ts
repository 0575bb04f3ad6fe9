import type { Token } from '../document/types.ts';

/**
 * A fast tokenizer with exact offsets. Whitespace is skipped, everything else
 * becomes a token. Possessive 's is split off ("Smith's" → "Smith" "'s") as
 * in CoNLL-style data, while apostrophes inside words stay ("O'Brien",
 * "don't").
 *
 * The definition is one regular expression (TOKEN, alternatives tried in
 * order at each position). `tokenize` reads plain ASCII words, numbers and
 * punctuation with a hand-written scanner and hands every other position to
 * the expression, so both give the same tokens (segment.test.ts checks this
 * against `tokenizeReference` on generated text).
 */
const TOKEN_PARTS = [
  'https?://[^\\s<>"“”]+[^\\s<>"“”.,;:!?)\\]]', // 1 url
  '(?:\\p{Lu}\\.){2,}|(?:\\p{Ll}\\.){2,}(?=[\\s,;:)]|$)', // 2 abbr
  '\\p{N}+(?:[.,:/]\\p{N}+)*(?:%|\\p{L}{1,2}\\b)?', // 3 num
  "[\\p{L}\\p{M}][\\p{L}\\p{M}\\p{N}]*(?:(?:-|['’](?![sS](?![\\p{L}\\p{N}])))[\\p{L}\\p{M}\\p{N}]+)*", // 4 word
  "['’][sS](?![\\p{L}\\p{N}])", // 5 poss
  "''|``", // 6 quote2
  '\\.{2,}|…', // 7 ellipsis
  '-{2,}|—|–', // 8 dash
  '\\p{P}', // 9 punct
  '\\S', // 10 other
];
const TOKEN = new RegExp(TOKEN_PARTS.map((p) => `(${p})`).join('|'), 'uy');
/** Token kind of each capture group of TOKEN (index = group number). */
const GROUP_KIND: Token['kind'][] = ['punct', 'word', 'word', 'number', 'word', 'word', 'punct', 'punct', 'punct', 'punct', 'symbol'];

const SPACE = /\s+/y;

export interface RawToken {
  start: number;
  end: number;
  kind: Token['kind'];
}

/** Kind codes of the packed scanner output. */
const KINDS: Token['kind'][] = ['word', 'number', 'punct', 'symbol'];
const K_WORD = 0;
const K_NUM = 1;
const K_PUNCT = 2;
const K_SYMBOL = 3;

/**
 * Per ASCII code: 1 ASCII letter, 2 digit, 3 white space, 4 punctuation that is
 * always a one-character token here, 5 symbol (\p{S}), 0 needs a closer look.
 */
const ASCII = new Uint8Array(128);
for (let c = 65; c <= 90; c++) ASCII[c] = 1;
for (let c = 97; c <= 122; c++) ASCII[c] = 1;
for (let c = 48; c <= 57; c++) ASCII[c] = 2;
for (const c of [9, 10, 11, 12, 13, 32]) ASCII[c] = 3;
for (const ch of '!"#%&()*,/:;?@[\\]_{}') ASCII[ch.charCodeAt(0)] = 4;
for (const ch of '$+<=>^|~') ASCII[ch.charCodeAt(0)] = 5;
// '.', '-', "'", '`' start multi-character tokens (ellipsis, dash, 's, ``): 0.

/**
 * Tokens of text[from, to) packed as (start, end, kind code) triples into
 * `out` from index 0; returns the number of tokens. `out` grows as needed.
 */
export function scanTokens(text: string, from: number, to: number, out: { buf: Int32Array }): number {
  let buf = out.buf;
  let n = 0;
  let i = from;
  const len = text.length;
  while (i < to) {
    let c = text.charCodeAt(i);
    // White space.
    if (c < 128) {
      if (ASCII[c] === 3) {
        i++;
        while (i < to && (c = text.charCodeAt(i)) < 128 && ASCII[c] === 3) i++;
        if (i >= to) break;
        if (c >= 128) {
          SPACE.lastIndex = i;
          if (SPACE.test(text)) {
            i = SPACE.lastIndex;
            if (i >= to) break;
            c = text.charCodeAt(i);
          }
        }
      }
    } else {
      SPACE.lastIndex = i;
      if (SPACE.test(text)) {
        i = SPACE.lastIndex;
        if (i >= to) break;
        c = text.charCodeAt(i);
      }
    }
    let end = -1;
    let kind = K_PUNCT;
    if (c < 128) {
      const cls = ASCII[c];
      if (cls === 1) {
        // An ASCII word, unless it may be an abbreviation ("U.S."), a URL, or go on past ASCII.
        const next = i + 1 < len ? text.charCodeAt(i + 1) : -1;
        if (next !== 46 && !(c === 104 && text.startsWith('http', i))) {
          let j = i + 1;
          let d = next;
          while (d >= 0 && d < 128 && (ASCII[d] === 1 || ASCII[d] === 2)) d = ++j < len ? text.charCodeAt(j) : -1;
          // Stopped at a hyphen, an apostrophe or a non-ASCII character: the expression decides.
          if (d !== 45 && d !== 39 && d < 128) {
            end = j;
            kind = K_WORD;
          }
        }
      } else if (cls === 2) {
        let j = i + 1;
        let d = j < len ? text.charCodeAt(j) : -1;
        while (d >= 48 && d <= 57) d = ++j < len ? text.charCodeAt(j) : -1;
        // A decimal point, separator, per cent sign, unit letters or non-ASCII after it: the expression decides.
        if (d < 128 && (d < 0 || (ASCII[d] !== 1 && d !== 46 && d !== 44 && d !== 58 && d !== 47 && d !== 37))) {
          end = j;
          kind = K_NUM;
        }
      } else if (cls === 4) {
        end = i + 1;
        kind = K_PUNCT;
      } else if (cls === 5) {
        end = i + 1;
        kind = K_SYMBOL;
      } else if (c === 46 || c === 45) {
        // A lone '.' or '-' (not '..' or '--').
        const next = i + 1 < len ? text.charCodeAt(i + 1) : -1;
        if (next !== c) {
          end = i + 1;
          kind = K_PUNCT;
        }
      }
    }
    if (end < 0) {
      TOKEN.lastIndex = i;
      const m = TOKEN.exec(text);
      if (!m) {
        // Cannot happen (the last alternative matches any non-space), but never loop forever.
        i++;
        continue;
      }
      end = TOKEN.lastIndex;
      let g = 1;
      while (g < 10 && m[g] === undefined) g++;
      const k = GROUP_KIND[g]!;
      kind = k === 'word' ? K_WORD : k === 'number' ? K_NUM : k === 'symbol' ? K_SYMBOL : K_PUNCT;
    }
    if (end > to) end = to;
    if (end <= i) end = i + 1;
    if (n * 3 + 3 > buf.length) {
      const bigger = new Int32Array(buf.length * 2 + 48);
      bigger.set(buf);
      out.buf = buf = bigger;
    }
    buf[n * 3] = i;
    buf[n * 3 + 1] = end;
    buf[n * 3 + 2] = kind;
    n++;
    i = end;
  }
  return n;
}

/** The kind of a packed token's code. */
export function kindOf(code: number): Token['kind'] {
  return KINDS[code]!;
}

const shared = { buf: new Int32Array(3 * 1024) };

/** Tokens of `text` within [from, to), in order, with exact offsets. */
export function tokenize(text: string, from = 0, to = text.length): RawToken[] {
  const n = scanTokens(text, from, to, shared);
  const buf = shared.buf;
  const out: RawToken[] = new Array(n);
  for (let k = 0; k < n; k++) out[k] = { start: buf[3 * k]!, end: buf[3 * k + 1]!, kind: KINDS[buf[3 * k + 2]!]! };
  return out;
}

/** The tokenizer's definition: the expression alone at every position (slow; for tests). */
export function tokenizeReference(text: string, from = 0, to = text.length): RawToken[] {
  const out: RawToken[] = [];
  let i = from;
  while (i < to) {
    SPACE.lastIndex = i;
    if (SPACE.test(text)) {
      i = SPACE.lastIndex;
      if (i >= to) break;
    }
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(text);
    if (!m) {
      i++;
      continue;
    }
    let end = Math.min(TOKEN.lastIndex, to);
    let g = 1;
    while (g < 10 && m[g] === undefined) g++;
    if (end <= i) end = i + 1;
    out.push({ start: i, end, kind: GROUP_KIND[g]! });
    i = end;
  }
  return out;
}

/** Lower-case with curly quotes and apostrophes made straight. */
export function normalizeToken(s: string): string {
  // Plain ASCII without '`' needs lower-casing at most.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || c === 96) return s.toLowerCase().replace(/[’‘`´]/g, "'").replace(/[“”„«»]/g, '"');
  }
  return s.toLowerCase();
}
