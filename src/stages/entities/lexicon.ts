/**
 * Word lists of the entities stage: role nouns (./data/roles.txt) plus the
 * gazetteers of the NER model (titles, nationalities, countries, given names,
 * organisations, outlets — see src/models/ner/data and lexicon.ts there).
 */
import { lexicon as nerLexicon, readList, type Gender, type Lexicon } from '../../models/ner/lexicon.ts';

export type { Gender } from '../../models/ner/lexicon.ts';

export interface EntityLexicon extends Lexicon {
  /** Role nouns (lower case, single words and phrases) → gender they imply, or null. */
  roles: Map<string, Gender | null>;
}

let cached: EntityLexicon | null = null;

export function entityLexicon(): EntityLexicon {
  if (cached) return cached;
  const roles = new Map<string, Gender | null>();
  for (const line of readList(new URL('./data/roles.txt', import.meta.url))) {
    const [w, g] = line.split('\t');
    roles.set(w.toLowerCase(), g === 'male' || g === 'female' ? g : null);
  }
  cached = { ...nerLexicon(), roles };
  return cached;
}

/** The singular form of a role noun when `word` (lower case) is one, else null ("analysts" → "analyst"). */
export function roleNoun(word: string): string | null {
  let r = roleMemo.get(word);
  if (r === undefined) {
    r = findRoleNoun(word);
    if (roleMemo.size > 50_000) roleMemo.clear();
    roleMemo.set(word, r);
  }
  return r;
}

/** roleNoun's answers by word (the lists do not change after loading). */
const roleMemo = new Map<string, string | null>();

function findRoleNoun(word: string): string | null {
  const { roles } = entityLexicon();
  if (roles.has(word)) return word;
  if (word.endsWith('s') && roles.has(word.slice(0, -1))) return word.slice(0, -1);
  if (word.endsWith('es') && roles.has(word.slice(0, -2))) return word.slice(0, -2);
  if (word.endsWith('men') && roles.has(word.slice(0, -3) + 'man')) return word.slice(0, -3) + 'man';
  if (word.endsWith('women') && roles.has(word.slice(0, -5) + 'woman')) return word.slice(0, -5) + 'woman';
  return null;
}

export function isRoleNoun(word: string): boolean {
  return roleNoun(word.toLowerCase()) !== null;
}

/** Gender a role noun implies ("spokeswoman" → female), or null. */
export function roleGender(word: string): Gender | null {
  const r = roleNoun(word.toLowerCase());
  return r ? (entityLexicon().roles.get(r) ?? null) : null;
}

/** Title info for a token ("Dr." → {gender:null, courtesy:false}), or undefined. */
export function titleOf(word: string) {
  const l = word.toLowerCase();
  return entityLexicon().titles.get(l.endsWith('.') ? l.slice(0, -1) : l);
}

export function isNationality(phrase: string): boolean {
  const l = phrase.toLowerCase();
  return entityLexicon().nationalities.has(l.includes('’') ? l.replace(/’/g, "'") : l);
}

/** Gender of a given name from the name lists, or null when unknown. */
export function givenNameGender(name: string): Gender | null {
  return entityLexicon().givenNames.get(name.toLowerCase()) ?? null;
}
