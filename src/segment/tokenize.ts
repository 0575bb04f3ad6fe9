import type { Token } from '../document/types.ts';

/**
 * A fast regex tokenizer with exact offsets. One sticky scan over the text;
 * whitespace is skipped, everything else becomes a token. Possessive 's is
 * split off ("Smith's" → "Smith" "'s") as in CoNLL-style data, while
 * apostrophes inside words stay ("O'Brien", "don't").
 */
const TOKEN = new RegExp(
  [
    '(?<url>https?://[^\\s<>"“”]+[^\\s<>"“”.,;:!?)\\]])',
    '(?<abbr>(?:\\p{Lu}\\.){2,}|(?:\\p{Ll}\\.){2,}(?=[\\s,;:)]|$))',
    '(?<num>\\p{N}+(?:[.,:/]\\p{N}+)*(?:%|\\p{L}{1,2}\\b)?)',
    "(?<word>[\\p{L}\\p{M}][\\p{L}\\p{M}\\p{N}]*(?:(?:-|['’](?![sS](?![\\p{L}\\p{N}])))[\\p{L}\\p{M}\\p{N}]+)*)",
    "(?<poss>['’][sS](?![\\p{L}\\p{N}]))",
    "(?<quote2>''|``)",
    '(?<ellipsis>\\.{2,}|…)',
    '(?<dash>-{2,}|—|–)',
    '(?<punct>\\p{P})',
    '(?<other>\\S)',
  ].join('|'),
  'uy',
);

const SPACE = /\s+/y;

export interface RawToken {
  start: number;
  end: number;
  kind: Token['kind'];
}

/** Tokens of `text` within [from, to), in order, with exact offsets. */
export function tokenize(text: string, from = 0, to = text.length): RawToken[] {
  const out: RawToken[] = [];
  let i = from;
  while (i < to) {
    SPACE.lastIndex = i;
    if (SPACE.test(text)) {
      i = SPACE.lastIndex;
      if (i >= to) break;
    }
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(text);
    if (!m) {
      // Cannot happen (`other` matches any non-space), but never loop forever.
      i++;
      continue;
    }
    let end = Math.min(TOKEN.lastIndex, to);
    const g = m.groups!;
    const kind: Token['kind'] = g.word || g.abbr || g.url || g.poss ? 'word' : g.num ? 'number' : g.other ? 'symbol' : 'punct';
    if (end <= i) end = i + 1;
    out.push({ start: i, end, kind });
    i = end;
  }
  return out;
}

/** Lower-case with curly quotes and apostrophes made straight. */
export function normalizeToken(s: string): string {
  return s.toLowerCase().replace(/[’‘`´]/g, "'").replace(/[“”„«»]/g, '"');
}
