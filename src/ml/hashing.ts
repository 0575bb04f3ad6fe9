/**
 * Feature hashing without building strings: FNV-1a over UTF-16 code units,
 * with a namespace seed so word, bigram and character features do not share
 * buckets by construction. `bits` sets the table size (2^bits).
 */
export const FNV_PRIME = 0x01000193;
export const FNV_OFFSET = 0x811c9dc5;

export function fnv(str: string, seed = FNV_OFFSET): number {
  let h = seed >>> 0;
  for (let i = 0; i < str.length; i++) h = Math.imul(h ^ str.charCodeAt(i), FNV_PRIME);
  return h >>> 0;
}

/** Mixes a number into a hash (for combining token hashes into n-grams). */
export function mix(h: number, v: number): number {
  h = Math.imul(h ^ (v & 0xffff), FNV_PRIME);
  h = Math.imul(h ^ (v >>> 16), FNV_PRIME);
  return h >>> 0;
}

export interface HashSpec {
  /** Word n-gram orders, e.g. [1, 2]. Empty for none. */
  wordNgrams: number[];
  /** Character n-grams inside word boundaries (sklearn's char_wb), e.g. [2, 5]; null for none. */
  charNgrams: [number, number] | null;
  /** Lower-case the text before character n-grams. Default false (case is a signal). */
  charLowercase?: boolean;
  bits: number;
}

/**
 * Calls `emit(bucket)` for every hashed feature of `text` (repeats allowed:
 * the caller counts term frequency). `tokens` are the lower-cased word tokens.
 */
export function hashFeatures(text: string, tokens: string[], spec: HashSpec, emit: (bucket: number) => void): void {
  const mask = (1 << spec.bits) - 1;
  if (spec.wordNgrams.length) {
    const th = tokens.map((t) => fnv(t, 0x1234567));
    for (const n of spec.wordNgrams) {
      const seed = mix(FNV_OFFSET, 1000 + n);
      for (let i = 0; i + n <= th.length; i++) {
        let h = seed;
        for (let k = 0; k < n; k++) h = mix(h, th[i + k]);
        emit(h & mask);
      }
    }
  }
  if (spec.charNgrams) {
    const [lo, hi] = spec.charNgrams;
    const src = spec.charLowercase ? text.toLowerCase() : text;
    const seed = mix(FNV_OFFSET, 77);
    // char_wb: each whitespace-delimited word padded with one space each side
    let i = 0;
    const n = src.length;
    while (i < n) {
      while (i < n && isWs(src.charCodeAt(i))) i++;
      if (i >= n) break;
      let j = i;
      while (j < n && !isWs(src.charCodeAt(j))) j++;
      // padded word = ' ' + src[i..j) + ' '
      const len = j - i + 2;
      for (let s = 0; s < len; s++) {
        let h = seed;
        for (let k = 0; k < hi && s + k < len; k++) {
          const p = s + k;
          const c = p === 0 || p === len - 1 ? 32 : src.charCodeAt(i + p - 1);
          h = Math.imul(h ^ c, FNV_PRIME);
          if (k + 1 >= lo) emit((h >>> 0) & mask);
        }
      }
      i = j;
    }
  }
}

export function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 0xa0 || c === 12 || c === 11 || (c >= 0x2000 && c <= 0x200a) || c === 0x3000;
}
