/**
 * Word lists of the quotes stage, loaded once at start-up from `data/`.
 * Each file carries a header saying where it came from.
 */
import { readFileSync } from 'node:fs';

function lines(name: string): string[][] {
  const raw = readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8');
  return raw
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split('\t'));
}

/** Regular inflections of a verb lemma: -s, -ed, -ing. */
function inflect(lemma: string): string[] {
  const out = [lemma];
  const last = lemma[lemma.length - 1];
  const vowelY = /[aeiou]y$/.test(lemma);
  if (/(s|sh|ch|x|z)$/.test(lemma)) out.push(lemma + 'es');
  else if (last === 'y' && !vowelY) out.push(lemma.slice(0, -1) + 'ies');
  else out.push(lemma + 's');
  if (last === 'e') out.push(lemma + 'd', lemma.slice(0, -1) + 'ing');
  else if (last === 'y' && !vowelY) out.push(lemma.slice(0, -1) + 'ied', lemma + 'ing');
  else if (/^[^aeiou]*[aeiou][bdgmnprt]$/.test(lemma)) out.push(lemma + last + 'ed', lemma + last + 'ing');
  else out.push(lemma + 'ed', lemma + 'ing');
  return out;
}

export interface Lexicon {
  /** Single-word cue forms (lower case) → lemma. */
  verbForms: Map<string, string>;
  /** Derived cue forms: form → ratio of occurrences that head a cue in PolNeAR train. */
  derived: Map<string, { cue: number; occ: number }>;
  /** Particles that follow a verb as part of the cue ("point out", "call for"). */
  particles: Map<string, Set<string>>;
  groupNouns: Set<string>;
  roleNouns: Map<string, 'male' | 'female' | null>;
  /** Role noun → class ('expert', 'official'), for nouns that stand in for each other. */
  roleClass: Map<string, string>;
  /** Role nouns marked generic (fourth column `g`: "leader", "head"): they stand for any title of their class. */
  genericRoles: Set<string>;
  orgNouns: Set<string>;
  pronouns: Map<string, { gender: string; number: string; kind: string }>;
  addresseeVerbs: Set<string>;
  /** Function words a content span does not end on (data/dangling-words.txt). */
  danglers: Set<string>;
  /** Cue words that report no plain speech verb's act, and the act they report (data/acts.txt). */
  acts: Map<string, 'speech' | 'thought' | 'evidence'>;
  /** Nouns that make a source a document or a body of data (data/document-nouns.txt). */
  documentNouns: Set<string>;
}

function load(): Lexicon {
  const verbForms = new Map<string, string>();
  const particles = new Map<string, Set<string>>();
  for (const [head, irregular] of lines('speech-verbs.txt')) {
    const [lemma, particle] = head.split(' ');
    const forms = inflect(lemma);
    if (irregular) forms.push(...irregular.split(','));
    for (const f of forms) {
      if (!particle) verbForms.set(f, lemma);
      else {
        const set = particles.get(f) ?? new Set<string>();
        set.add(particle);
        particles.set(f, set);
        if (!verbForms.has(f)) verbForms.set(f, lemma);
      }
    }
  }
  const derived = new Map<string, { cue: number; occ: number }>();
  for (const [form, cue, occ] of lines('cue-forms.tsv')) derived.set(form, { cue: Number(cue), occ: Number(occ) });
  const roleNouns = new Map<string, 'male' | 'female' | null>();
  const roleClass = new Map<string, string>();
  const genericRoles = new Set<string>();
  for (const [noun, g, cls, generic] of lines('role-nouns.txt')) {
    roleNouns.set(noun, g === 'm' ? 'male' : g === 'f' ? 'female' : null);
    if (cls && cls !== '-') roleClass.set(noun, cls);
    if (generic === 'g') genericRoles.add(noun);
  }
  const pronouns = new Map<string, { gender: string; number: string; kind: string }>();
  for (const [p, gender, number, kind] of lines('pronouns.txt')) pronouns.set(p, { gender, number, kind });
  return {
    verbForms,
    derived,
    particles,
    groupNouns: new Set(lines('group-nouns.txt').map((l) => l[0])),
    roleNouns,
    roleClass,
    genericRoles,
    orgNouns: new Set(lines('org-nouns.txt').map((l) => l[0])),
    pronouns,
    addresseeVerbs: new Set(lines('addressee-verbs.txt').map((l) => l[0])),
    danglers: new Set(lines('dangling-words.txt').map((l) => l[0])),
    acts: new Map(lines('acts.txt').map(([w, a]) => [w, a as 'speech' | 'thought' | 'evidence'])),
    documentNouns: new Set(lines('document-nouns.txt').map((l) => l[0])),
  };
}

export const LEXICON: Lexicon = load();
