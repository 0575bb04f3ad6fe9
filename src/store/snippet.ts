/**
 * A search-hit snippet made in JavaScript from the article text: the first
 * passage where query words occur, about 30 words long, with the words in
 * [brackets]. Computing it for the few hits shown (rather than in SQL for
 * every match) keeps broad searches fast, and reads the same on every store.
 */

function fold(s: string): string {
  return s.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** The words of a query (phrases split, operators and wildcards dropped), folded like the index. */
export function queryWords(query: string): { word: string; prefix: boolean }[] {
  const out: { word: string; prefix: boolean }[] = [];
  for (const m of query.matchAll(/"([^"]*)"(\*)?|(\S+)/g)) {
    const raw = m[1] ?? m[3];
    if (!raw || /^(OR|AND|NOT)$/.test(raw)) continue;
    const prefix = !!m[2] || raw.endsWith('*');
    const words = fold(raw).match(/[\p{L}\p{N}]+/gu) ?? [];
    words.forEach((w, i) => out.push({ word: w, prefix: prefix && i === words.length - 1 }));
  }
  return out;
}

export function makeSnippet(text: string, query: string, words = 30): string {
  const terms = queryWords(query);
  const tokens = [...text.matchAll(/\S+/g)];
  if (!tokens.length) return '';
  const isHit = (tok: string) => {
    for (const piece of fold(tok).match(/[\p{L}\p{N}]+/gu) ?? []) {
      if (terms.some((t) => (t.prefix ? piece.startsWith(t.word) : piece === t.word))) return true;
    }
    return false;
  };
  const hits = tokens.map((t) => isHit(t[0]));
  const first = hits.indexOf(true);
  const start = first < 0 ? 0 : Math.max(0, first - Math.floor(words / 3));
  const end = Math.min(tokens.length, start + words);
  const parts: string[] = [];
  for (let i = start; i < end; i++) parts.push(hits[i] ? `[${tokens[i][0]}]` : tokens[i][0]);
  return (start > 0 ? '…' : '') + parts.join(' ') + (end < tokens.length ? '…' : '');
}
