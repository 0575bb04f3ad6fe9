/**
 * MinHash over word shingles, with locality-sensitive hashing (LSH) bands, to
 * find republished and lightly edited copies among many articles without
 * comparing every pair.
 *
 * Parameters: shingles of 3 words; 100 hash functions in 25 bands of 4 rows.
 * Two texts become candidates with probability 1-(1-J^4)^25: about 0.80 at a
 * Jaccard similarity J of 0.5, 0.97 at 0.6 and 0.48 at 0.4. Candidates are
 * kept when the signatures agree on at least SIMILARITY_THRESHOLD of their rows.
 */

export const SHINGLE = 3;
export const BANDS = 25;
export const ROWS = 4;
export const HASHES = BANDS * ROWS;
export const SIMILARITY_THRESHOLD = 0.5;

/** Lower-cased words (letters and digits) with diacritics kept. */
export function words(text: string): string[] {
  return text.toLowerCase().normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: a good mix of the bits of x. */
function fmix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Fixed seeds so signatures stored today compare with signatures computed tomorrow. */
const SEEDS = (() => {
  const out = new Uint32Array(HASHES);
  let s = 0x9e3779b9;
  for (let i = 0; i < HASHES; i++) {
    s = fmix(s + 0x6d2b79f5 + i);
    out[i] = s;
  }
  return out;
})();

/** Hashes of the distinct word shingles of a text (a text shorter than one shingle yields its words joined). */
export function shingles(text: string): Uint32Array {
  const w = words(text);
  const set = new Set<number>();
  if (w.length === 0) return new Uint32Array(0);
  if (w.length < SHINGLE) set.add(fnv1a(w.join(' ')));
  for (let i = 0; i + SHINGLE <= w.length; i++) set.add(fnv1a(w.slice(i, i + SHINGLE).join(' ')));
  return Uint32Array.from(set);
}

/** The MinHash signature (HASHES values), or null when the text has no words. */
export function signature(text: string): Uint32Array | null {
  const sh = shingles(text);
  if (sh.length === 0) return null;
  const sig = new Uint32Array(HASHES).fill(0xffffffff);
  for (let j = 0; j < sh.length; j++) {
    const x = sh[j];
    for (let i = 0; i < HASHES; i++) {
      const h = fmix(x ^ SEEDS[i]);
      if (h < sig[i]) sig[i] = h;
    }
  }
  return sig;
}

/** Estimated Jaccard similarity: the share of rows where two signatures agree. */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < HASHES; i++) if (a[i] === b[i]) same++;
  return same / HASHES;
}

/**
 * One bucket key per band: band number in the high bits and a 32-bit hash of
 * the band's rows in the low bits, so that one integer column indexes all
 * bands (fits in a double's 53-bit integer range).
 */
export function bandKeys(sig: Uint32Array): number[] {
  const out: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < ROWS; r++) h = fmix(Math.imul(h ^ sig[b * ROWS + r], 0x01000193));
    out.push(b * 0x100000000 + (h >>> 0));
  }
  return out;
}

export function toBytes(sig: Uint32Array): Buffer {
  return Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength);
}

export function fromBytes(buf: Uint8Array): Uint32Array {
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return new Uint32Array(copy.buffer);
}
