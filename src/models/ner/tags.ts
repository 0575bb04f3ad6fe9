/** BIO tags of the English NER tagger, in the order of the weight columns. */
export const TAGS = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC'] as const;
export type Tag = (typeof TAGS)[number];
export const NTAGS = TAGS.length;
export const TYPES = ['PER', 'ORG', 'LOC', 'MISC'] as const;
export type EntityLabel = (typeof TYPES)[number];

export const TAG_INDEX: Record<string, number> = Object.fromEntries(TAGS.map((t, i) => [t, i]));

/** True when tag `next` may follow tag `prev` in BIO (I-X only after B-X or I-X). */
export function allowed(prev: number, next: number): boolean {
  if (next === 0 || (next & 1) === 1) return true; // O or B-*
  return prev === next || prev === next - 1;
}

/** A labelled span over token indices [start, end). */
export interface Chunk {
  start: number;
  end: number;
  type: string;
}

/** Chunks of a BIO (or IOB1) tag sequence, conlleval-style: an I-X that does not continue an X chunk starts one. */
export function chunks(tags: readonly string[]): Chunk[] {
  const out: Chunk[] = [];
  let cur: Chunk | null = null;
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i];
    if (t === 'O' || t.length < 3) {
      if (cur) out.push(cur);
      cur = null;
      continue;
    }
    const bio = t[0];
    const type = t.slice(2);
    if (bio === 'B' || !cur || cur.type !== type) {
      if (cur) out.push(cur);
      cur = { start: i, end: i + 1, type };
    } else {
      cur.end = i + 1;
    }
  }
  if (cur) out.push(cur);
  return out;
}
