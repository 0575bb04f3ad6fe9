/**
 * A small Unicode tokenizer for features (not for offsets shown to users):
 * words (letters/digits with inner apostrophes or hyphens), and single
 * punctuation characters. Works for every script the corpora use.
 */
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;

export interface FeatToken {
  text: string;
  start: number;
  end: number;
}

export function tokenizeWithOffsets(text: string): FeatToken[] {
  const out: FeatToken[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(text))) out.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return out;
}

/** Lower-cased tokens with curly apostrophes straightened. */
export function wordTokens(text: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(text))) {
    const l = m[0].toLowerCase();
    out.push(l.indexOf('’') >= 0 ? l.replace(/’/g, "'") : l);
  }
  return out;
}
