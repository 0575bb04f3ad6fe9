/**
 * SemEval-2025 Task 10 entity offsets: UTF-16 code units with an **inclusive**
 * end (`text.slice(start, end + 1)` is the mention). Many HI/PT/RU (and some BG)
 * offsets were counted on CRLF originals, while the copies have LF line breaks,
 * so every "\n" before the mention must count as two units.
 *
 * `locateMention` finds where the mention really is in the LF text, returning a
 * half-open span, and says how it was found. The given offsets stay the key of
 * the mention (the scorer echoes them); only the context comes from the span.
 */

export type LocateMethod = 'exact' | 'crlf' | 'nearest';

export interface Located {
  start: number;
  /** Exclusive. */
  end: number;
  method: LocateMethod;
}

/** Converts an offset counted as if every "\n" were "\r\n" into an index of `text`. */
export function crlfOffsetToIndex(text: string, offset: number): number {
  let units = 0;
  for (let i = 0; i < text.length; i++) {
    if (units >= offset) return i;
    units += text.charCodeAt(i) === 10 ? 2 : 1;
  }
  return text.length;
}

/** Converts an index of `text` into the offset it has when every "\n" counts as "\r\n". */
export function indexToCrlfOffset(text: string, index: number): number {
  let units = index;
  for (let i = 0; i < index && i < text.length; i++) if (text.charCodeAt(i) === 10) units++;
  return units;
}

/**
 * Where `mention` (given with inclusive-end offsets `start`..`end`) lies in
 * `text`: the slice itself, else the CRLF-adjusted slice, else the exact match
 * of the mention string nearest to `start` within `window` units; null when
 * none of those hold.
 */
export function locateMention(text: string, mention: string, start: number, end: number, window = 250): Located | null {
  if (text.slice(start, end + 1) === mention) return { start, end: end + 1, method: 'exact' };
  const s = crlfOffsetToIndex(text, start);
  if (text.slice(s, s + mention.length) === mention) return { start: s, end: s + mention.length, method: 'crlf' };
  let best = -1;
  let bestDist = Infinity;
  const lo = Math.max(0, start - window - mention.length);
  let i = text.indexOf(mention, lo);
  while (i >= 0 && i <= start + window) {
    const d = Math.abs(i - start);
    if (d < bestDist) {
      bestDist = d;
      best = i;
    }
    i = text.indexOf(mention, i + 1);
  }
  if (best >= 0 && bestDist <= window) return { start: best, end: best + mention.length, method: 'nearest' };
  return null;
}
