/**
 * RangeCache: small integer payloads keyed by pieces of text without building
 * strings (see the class).
 */
import { FNV_OFFSET, FNV_PRIME } from './hashing.ts';

/** FNV-1a over the code units of src[i, j), as a signed 32-bit integer (RangeCache's key hash). */
export function rangeHash(src: string, i: number, j: number): number {
  let h = FNV_OFFSET;
  for (let p = i; p < j; p++) h = Math.imul(h ^ src.charCodeAt(p), FNV_PRIME);
  return h | 0;
}

/**
 * A cache from a piece of text to a few integers (a word's n-gram columns, a
 * token's hashes), looked up by the characters of src[i, j) and their hash,
 * so a lookup builds no string. Open addressing; each slot is four integers
 * (hash, length, offset, payload length) and a key's characters and payload
 * sit next to each other in one integer pool, so a hit reads two or three
 * cache lines where a Map<string, Int32Array> reads six or more. The table
 * starts at 1,024 slots and doubles at half full; it is emptied when it holds
 * `max` keys: use it only for values that are a function of the key.
 */
export class RangeCache {
  private slots = new Int32Array(0);
  private pool = new Int32Array(0);
  private used = 0;
  private mask = 0;
  private count = 0;
  /** Where `get` or `set` left the payload: data[hitOff, hitOff + hitLen). */
  hitOff = 0;
  hitLen = 0;

  constructor(private readonly max: number) {
    this.reset();
  }

  private reset(): void {
    // start small (a short run touches little memory) and double at half full
    const cap = 1024;
    this.slots = new Int32Array(cap * 4);
    this.mask = cap - 1;
    this.count = 0;
    this.used = 0;
    if (this.pool.length === 0) this.pool = new Int32Array(1 << 16);
  }

  /** True when src[i, j) (hash h, e.g. `rangeHash`) is cached; its payload is then data[hitOff, hitOff + hitLen). */
  get(src: string, i: number, j: number, h: number): boolean {
    h |= 0;
    const slots = this.slots;
    const pool = this.pool;
    const len = j - i;
    let slot = Math.imul(h, 0x9e3779b1) & this.mask;
    for (;;) {
      const s = slot << 2;
      const off = slots[s + 2];
      if (off === 0) return false;
      if (slots[s] === h && slots[s + 1] === len) {
        let p = 0;
        while (p < len && pool[off + p] === src.charCodeAt(i + p)) p++;
        if (p === len) {
          this.hitOff = off + len;
          this.hitLen = slots[s + 3];
          return true;
        }
      }
      slot = (slot + 1) & this.mask;
    }
  }

  /** Adds src[i, j) (hash h, known to be absent) with payload values[0, n); afterwards data[hitOff, hitOff + hitLen) holds it. */
  set(src: string, i: number, j: number, h: number, values: Int32Array, n: number): void {
    if (this.count >= this.max) this.reset();
    h |= 0;
    const len = j - i;
    // offset 0 marks an empty slot, so the pool starts at 1
    const off = this.used === 0 ? 1 : this.used;
    const need = off + len + n;
    if (need > this.pool.length) {
      let cap = this.pool.length * 2;
      while (cap < need) cap *= 2;
      const grown = new Int32Array(cap);
      grown.set(this.pool.subarray(0, this.used));
      this.pool = grown;
    }
    const pool = this.pool;
    for (let p = 0; p < len; p++) pool[off + p] = src.charCodeAt(i + p);
    pool.set(values.subarray(0, n), off + len);
    this.used = need;
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    let slot = Math.imul(h, 0x9e3779b1) & this.mask;
    while (this.slots[(slot << 2) + 2] !== 0) slot = (slot + 1) & this.mask;
    const s = slot << 2;
    this.slots[s] = h;
    this.slots[s + 1] = len;
    this.slots[s + 2] = off;
    this.slots[s + 3] = n;
    this.count++;
    this.hitOff = off + len;
    this.hitLen = n;
  }

  /** Doubles the slot table, re-placing every key by its stored hash. */
  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    const slots = new Int32Array(cap * 4);
    const mask = cap - 1;
    for (let s = 0; s < old.length; s += 4) {
      if (old[s + 2] === 0) continue;
      let slot = Math.imul(old[s], 0x9e3779b1) & mask;
      while (slots[(slot << 2) + 2] !== 0) slot = (slot + 1) & mask;
      slots.set(old.subarray(s, s + 4), slot << 2);
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** The pool (the payload of the last hit or insert lives at hitOff). */
  get data(): Int32Array {
    return this.pool;
  }
}

