/**
 * Person-name variants across a corpus: "Luciano Anzelini", "Anzelini",
 * "L. Anzelini" and "Dr. Luciano Anzelini" are one person when the corpus
 * leaves no doubt. A short form is merged only when exactly one full name in
 * the corpus fits it; otherwise it stays on its own.
 */

/** Honorifics and titles dropped before comparing names (lower case, without the dot). */
const TITLES = new Set([
  'mr', 'mrs', 'ms', 'miss', 'mx', 'dr', 'prof', 'professor', 'sir', 'dame', 'lord', 'lady',
  'rev', 'fr', 'gen', 'general', 'col', 'colonel', 'maj', 'major', 'capt', 'captain', 'lt',
  'sen', 'senator', 'rep', 'gov', 'governor', 'president', 'minister', 'judge', 'justice',
  'sheikh', 'ambassador', 'mayor', 'chancellor', 'premier', 'king', 'queen', 'prince', 'princess',
]);
/** Suffixes that do not identify the person on their own. */
const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'esq']);

/** The comparison key of a name: no diacritics, lower case, no titles or suffixes, single spaces. Empty for no name. */
export function nameKey(name: string): string {
  const tokens = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[’'`´]/g, '')
    .replace(/[^\p{L}\p{N}.\- ]+/gu, ' ')
    .split(/\s+/)
    .map((t) => t.replace(/^[.\-]+|[\-]+$/g, ''))
    .filter(Boolean);
  while (tokens.length > 1 && TITLES.has(tokens[0].replace(/\.$/, ''))) tokens.shift();
  while (tokens.length > 1 && SUFFIXES.has(tokens[tokens.length - 1].replace(/\.$/, ''))) tokens.pop();
  return tokens.map((t) => (isInitial(t) ? t.replace(/\.$/, '')[0] + '.' : t.replace(/\.$/, ''))).join(' ');
}

function isInitial(token: string): boolean {
  return /^\p{L}\.?$/u.test(token) || /^\p{L}\.(\p{L}\.)+$/u.test(token);
}

interface Parsed {
  key: string;
  tokens: string[];
  first: string;
  last: string;
  /** Two or more tokens and the first is a written-out name. */
  full: boolean;
}

function parse(key: string): Parsed {
  const tokens = key.split(' ');
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  return { key, tokens, first, last, full: tokens.length >= 2 && !isInitial(first) };
}

export interface NameCount {
  /** The name as written (the most common spelling of its key). */
  name: string;
  /** How often it was seen; picks the display name of a merged person. */
  count: number;
}

/**
 * Groups name keys into persons. Returns, for every key given, the key of the
 * person it belongs to (the key of the person's display name).
 *
 * 1. Full names with the same first and last token are one person ("Luciano
 *    Anzelini", "Luciano A. Anzelini") when no other full name shares that
 *    first-and-last pair with a different middle part that conflicts.
 * 2. "L. Anzelini" joins the only full person with surname Anzelini and a
 *    first name starting with L.
 * 3. "Anzelini" joins the only full person with surname Anzelini.
 * Anything ambiguous stays a person of its own.
 */
export function mergeNames(names: Map<string, NameCount>): Map<string, string> {
  const parsed = [...names.keys()].filter(Boolean).map(parse);
  // Persons among full names, keyed by "first last".
  const persons = new Map<string, string[]>();
  for (const p of parsed) {
    if (!p.full) continue;
    const sig = `${p.first} ${p.last}`;
    const list = persons.get(sig);
    if (list) list.push(p.key);
    else persons.set(sig, [p.key]);
  }
  const bySurname = new Map<string, string[]>();
  for (const sig of persons.keys()) {
    const last = sig.slice(sig.lastIndexOf(' ') + 1);
    const list = bySurname.get(last);
    if (list) list.push(sig);
    else bySurname.set(last, [sig]);
  }
  const count = (k: string) => names.get(k)?.count ?? 0;
  // Display key of each person: the most frequent key; ties go to the longest, then alphabetical.
  const display = new Map<string, string>();
  for (const [sig, keys] of persons) {
    const best = [...keys].sort((a, b) => count(b) - count(a) || b.length - a.length || (a < b ? -1 : 1))[0];
    display.set(sig, best);
  }
  const out = new Map<string, string>();
  for (const p of parsed) {
    if (p.full) {
      out.set(p.key, display.get(`${p.first} ${p.last}`)!);
      continue;
    }
    const candidates = bySurname.get(p.last) ?? [];
    let fits = candidates;
    if (p.tokens.length >= 2) {
      // "L. Anzelini" / "L. A. Anzelini": the initial must match the first name.
      const initial = p.first[0];
      fits = candidates.filter((sig) => sig[0] === initial);
    }
    out.set(p.key, fits.length === 1 ? display.get(fits[0])! : p.key);
  }
  return out;
}
