/** 32-bit string and feature hashing (FNV-1a + murmur3 finaliser). Deterministic across runs. */

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of (template, value); never 0 (0 marks an empty slot in the model table). */
export function feat(template: number, value: number): number {
  const h = fmix((value ^ Math.imul(template + 1, 0x9e3779b1)) >>> 0);
  return h === 0 ? 1 : h;
}

/** Hash of (template, a, b). */
export function feat2(template: number, a: number, b: number): number {
  return feat(template, fmix((a ^ Math.imul(b, 0x27d4eb2d)) >>> 0));
}
