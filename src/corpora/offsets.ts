/**
 * Code-point ↔ UTF-16 offset conversion. The SemEval corpora count Unicode code
 * points (Python string indices); JavaScript strings index UTF-16 code units.
 */

/** `map[cp]` is the UTF-16 offset of code point `cp`; `map[cpLength]` is `text.length`. */
export function codePointToUtf16Map(text: string): Int32Array {
  let cps = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    cps++;
  }
  const map = new Int32Array(cps + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    map[cp++] = i;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
  }
  map[cp] = text.length;
  return map;
}

/**
 * `map[u]` is the code-point index of UTF-16 offset `u` (length `text.length + 1`).
 * An offset that falls between the two halves of a surrogate pair maps to the
 * code point it splits (rounded down).
 */
export function utf16ToCodePointMap(text: string): Int32Array {
  const map = new Int32Array(text.length + 1);
  let cp = 0;
  for (let i = 0; i < text.length; i++) {
    map[i] = cp;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        map[i + 1] = cp;
        i++;
      }
    }
    cp++;
  }
  map[text.length] = cp;
  return map;
}

/** Converts one code-point offset (clamped to the text). */
export function cpToUtf16(map: Int32Array, cp: number): number {
  if (cp <= 0) return 0;
  if (cp >= map.length) return map[map.length - 1];
  return map[cp];
}
