/**
 * Quotation-mark pairing (notes/attribution.md §2, "Unusual quotation marks").
 *
 * Finds top-level quoted regions paragraph by paragraph. Never throws: an
 * unbalanced mark degrades per paragraph (the region is closed at the
 * paragraph end, or the stray mark is ignored), so one odd mark cannot
 * swallow the rest of the article.
 *
 * Multi-paragraph quotes follow the news convention: a paragraph that ends
 * with a quote still open, followed by a paragraph that opens with a mark,
 * continues the same region; the region closes at the last closing mark.
 */

import type { Span } from '../../document/types.ts';

export interface QuoteRegion {
  /** Offset of the opening mark. */
  start: number;
  /** Offset just after the closing mark (or the paragraph end when unterminated). */
  end: number;
  /** true when the region closed with a real mark. */
  closed: boolean;
  /** Paragraph indices the region spans (several for a multi-paragraph quote). */
  paragraphs: number[];
  /** Number of word characters inside (a cheap length measure). */
  words: number;
}

type Family = 'double' | 'single' | 'guillemet';

interface Mark {
  pos: number;
  len: number;
  family: Family;
  role: 'open' | 'close' | 'either';
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}]/u.test(c);
const isSpaceOrStart = (c: string | undefined): boolean => c === undefined || /[\s([{\u2014\u2013-]/u.test(c);

/** The marks of one paragraph, classified by family and direction. */
function scanMarks(text: string, from: number, to: number): Mark[] {
  const marks: Mark[] = [];
  // German/Polish low opener „ makes “ (and ”) a closer until it is closed.
  let lowOpen = false;
  for (let i = from; i < to; i++) {
    const c = text[i];
    const prev = i > from ? text[i - 1] : undefined;
    const next = i + 1 < to ? text[i + 1] : undefined;
    switch (c) {
      case '“':
        if (lowOpen) {
          marks.push({ pos: i, len: 1, family: 'double', role: 'close' });
          lowOpen = false;
        } else marks.push({ pos: i, len: 1, family: 'double', role: 'open' });
        break;
      case '”':
        lowOpen = false;
        marks.push({ pos: i, len: 1, family: 'double', role: 'close' });
        break;
      case '„':
        lowOpen = true;
        marks.push({ pos: i, len: 1, family: 'double', role: 'open' });
        break;
      case '«':
        marks.push({ pos: i, len: 1, family: 'guillemet', role: 'either' });
        break;
      case '»':
        marks.push({ pos: i, len: 1, family: 'guillemet', role: 'either' });
        break;
      case '"':
      case '＂':
      case '″':
        // Inch / seconds mark after a digit: 6'2", 10".
        if (prev !== undefined && /\d/.test(prev) && !isWordChar(next)) break;
        marks.push({ pos: i, len: 1, family: 'double', role: 'either' });
        break;
      case '`':
        if (next === '`') {
          marks.push({ pos: i, len: 2, family: 'double', role: 'open' });
          i++;
        }
        break;
      case "'":
        // '' is one double mark (PTB / NYT convention) — read it before apostrophes.
        if (next === "'") {
          marks.push({ pos: i, len: 2, family: 'double', role: isSpaceOrStart(prev) ? 'open' : 'either' });
          i++;
        } else if (isSpaceOrStart(prev) && isWordChar(next)) {
          marks.push({ pos: i, len: 1, family: 'single', role: 'open' });
        } else if (!isWordChar(next) && prev !== undefined && !/\s/.test(prev) && !/s/i.test(prev)) {
          marks.push({ pos: i, len: 1, family: 'single', role: 'close' });
        }
        break;
      case '‘':
        if (isSpaceOrStart(prev) || !isWordChar(prev)) marks.push({ pos: i, len: 1, family: 'single', role: 'open' });
        break;
      case '’':
        // Apostrophe inside a word (don't) or after s (residents’) is no mark.
        if (isWordChar(next)) break;
        if (prev !== undefined && /\s/.test(prev)) break;
        marks.push({ pos: i, len: 1, family: 'single', role: 'close' });
        break;
      default:
        break;
    }
  }
  return marks;
}

interface OpenRegion {
  start: number;
  family: Family;
  guillemetOpener?: string;
  paragraphs: number[];
}

/** Does the paragraph at [from,to) open with a quotation mark (after spaces)? */
function opensWithMark(text: string, from: number, to: number): boolean {
  let i = from;
  while (i < to && /\s/.test(text[i])) i++;
  const c = text[i];
  return c === '“' || c === '"' || c === '„' || c === '«' || c === '»' || (c === '`' && text[i + 1] === '`') || (c === "'" && text[i + 1] === "'");
}

function countWords(text: string, from: number, to: number): number {
  let n = 0;
  let inWord = false;
  for (let i = from; i < to; i++) {
    const w = isWordChar(text[i]);
    if (w && !inWord) n++;
    inWord = w;
  }
  return n;
}

/**
 * Top-level quoted regions of `text`, given its paragraphs (in order).
 * Only the outermost double (or guillemet) quotes are regions; single-mark
 * regions count when no double region encloses them (British style, headlines).
 */
export function findQuoteRegions(text: string, paragraphs: readonly Span[]): QuoteRegion[] {
  const regions: QuoteRegion[] = [];
  let carry = null as OpenRegion | null;

  for (let p = 0; p < paragraphs.length; p++) {
    const { start: from, end: to } = paragraphs[p];
    const marks = scanMarks(text, from, to);
    let outer: OpenRegion | null = null;
    let skipFirstOpen = false;
    if (carry !== null) {
      // Continuation: the paragraph opens with a mark of the same family.
      const c: OpenRegion = carry;
      outer = { start: c.start, family: c.family, guillemetOpener: c.guillemetOpener, paragraphs: [...c.paragraphs, p] };
      skipFirstOpen = true;
      carry = null;
    }
    let single: number | null = null; // a single-quote region at top level
    let inner = 0; // nesting depth of single marks inside a double region

    for (let k = 0; k < marks.length; k++) {
      const m = marks[k];
      if (skipFirstOpen) {
        skipFirstOpen = false;
        if (m.role !== 'close' && m.family === outer!.family) continue;
      }
      if (outer) {
        if (m.family === outer.family) {
          let closes = m.role === 'close' || m.role === 'either';
          if (m.family === 'guillemet') closes = text[m.pos] !== outer.guillemetOpener;
          if (closes && m.role === 'either' && m.family === 'double') {
            // A straight mark directly followed by a word and preceded by a space looks like an opener:
            // a nested straight quote is rare, so still close.
            closes = true;
          }
          if (closes) {
            const end = m.pos + m.len;
            regions.push({ start: outer.start, end, closed: true, paragraphs: outer.paragraphs, words: countWords(text, outer.start, end) });
            outer = null;
            inner = 0;
          }
        } else if (m.family === 'single') {
          // Nested single quotes are ignored for pairing purposes.
          inner += m.role === 'open' ? 1 : inner > 0 ? -1 : 0;
        }
        continue;
      }
      if (m.family === 'single') {
        if (m.role === 'open' && single === null) single = m.pos;
        else if (m.role === 'close' && single !== null) {
          const end = m.pos + m.len;
          const words = countWords(text, single, end);
          // A single-mark region must hold at least one word and not be a stray apostrophe pair.
          if (words >= 1) regions.push({ start: single, end, closed: true, paragraphs: [p], words });
          single = null;
        }
        continue;
      }
      if (m.role === 'close') continue; // stray closer: ignore
      outer = { start: m.pos, family: m.family, guillemetOpener: text[m.pos], paragraphs: [p] };
      single = null;
    }

    if (outer) {
      const next = paragraphs[p + 1];
      if (next && opensWithMark(text, next.start, next.end)) {
        carry = outer;
      } else {
        // Unterminated in this paragraph: degrade by closing it at the paragraph end.
        let end = to;
        while (end > outer.start && /\s/.test(text[end - 1])) end--;
        regions.push({ start: outer.start, end, closed: false, paragraphs: outer.paragraphs, words: countWords(text, outer.start, end) });
      }
    }
  }
  if (carry) {
    const last = paragraphs[carry.paragraphs[carry.paragraphs.length - 1]];
    regions.push({ start: carry.start, end: last.end, closed: false, paragraphs: carry.paragraphs, words: countWords(text, carry.start, last.end) });
  }
  regions.sort((a, b) => a.start - b.start);
  // Single-mark regions inside double ones were already skipped; drop any overlap left by degradation.
  const out: QuoteRegion[] = [];
  for (const r of regions) {
    const last = out[out.length - 1];
    if (last && r.start < last.end) continue;
    out.push(r);
  }
  return out;
}
