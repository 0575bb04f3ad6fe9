/**
 * A small Unicode tokenizer for features (not for offsets shown to users):
 * words (letters/digits with inner apostrophes or hyphens), and single
 * punctuation characters. Works for every script the corpora use.
 */
import { nextToken, tokenStart } from './tokenhash.ts';

/**
 * The token pattern. The functions below scan with `nextToken`
 * (tokenhash.ts), a hand-written matcher for exactly this expression that
 * builds no match objects; the tests check them against it.
 */
export const TOKEN_PATTERN = /[\p{L}\p{M}\p{N}]+(?:['’\-][\p{L}\p{M}\p{N}]+)*|[^\s\p{L}\p{M}\p{N}]/gu;

export interface FeatToken {
  text: string;
  start: number;
  end: number;
}

export function tokenizeWithOffsets(text: string): FeatToken[] {
  const out: FeatToken[] = [];
  const n = text.length;
  let p = 0;
  let e: number;
  while ((e = nextToken(text, p, n)) >= 0) {
    out.push({ text: text.slice(tokenStart, e), start: tokenStart, end: e });
    p = e;
  }
  return out;
}

/** Lower-cased tokens with curly apostrophes straightened. */
export function wordTokens(text: string): string[] {
  const out: string[] = [];
  const n = text.length;
  let p = 0;
  let e: number;
  while ((e = nextToken(text, p, n)) >= 0) {
    const l = text.slice(tokenStart, e).toLowerCase();
    out.push(l.indexOf('’') >= 0 ? l.replace(/’/g, "'") : l);
    p = e;
  }
  return out;
}
