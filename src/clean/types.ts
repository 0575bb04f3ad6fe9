/**
 * Clean text plus a map back to the raw body. `runs` is sorted by `clean`:
 * each run says that clean[clean, clean+length) equals raw[raw, raw+length)
 * (characters were copied unchanged). Characters between runs were inserted
 * or normalised; `toRaw` maps them to the nearest run boundary.
 */
export interface OffsetRun {
  clean: number;
  raw: number;
  length: number;
}

export interface Cleaned {
  text: string;
  runs: OffsetRun[];
  /** What was removed, as spans of the raw body, with a reason ('repeated-headline', 'share-line', …). */
  removed: { start: number; end: number; reason: string }[];
  /** Length of the raw body (lets `toRaw` map the end of the text). Optional: added after the first contract. */
  rawLength?: number;
}
