/**
 * Generated articles for tests and the bench: invented towns, people and
 * events, built from a seeded generator so every run sees the same corpus.
 */
import Database from 'better-sqlite3';

const SYL = ['ka', 'lo', 'mi', 'ren', 'tu', 'sa', 'vel', 'dor', 'pi', 'an', 'es', 'gor', 'li', 'nu', 'ta', 'be', 'ro', 'mal'];
const FIRST = ['Dana', 'Orlan', 'Mira', 'Teo', 'Ilse', 'Piet', 'Lena', 'Hanna', 'Jonas', 'Rasa', 'Eliot', 'Vera', 'Tomas', 'Nadia', 'Karel', 'Selma'];
const ROLES = ['political analyst', 'economist', 'military expert', 'professor of history', 'former diplomat', 'energy consultant', 'columnist'];
const VERBS = ['said', 'told reporters', 'argued', 'warned', 'added', 'claimed'];
const TOPICS = ['harbour', 'budget', 'pipeline', 'election', 'bridge', 'drought', 'tariffs', 'railway', 'summit', 'sanctions', 'vaccines', 'refinery'];
const LOADED = ['a disgraceful betrayal', 'a catastrophic failure', 'an outrageous provocation', 'a shameful cover-up', 'a reckless gamble'];

export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

export function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

function word(r: () => number): string {
  let w = '';
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) w += pick(r, SYL);
  return w;
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}

export interface GeneratedArticle {
  title: string;
  text: string;
  url: string;
  outlet: string;
  published: string;
  speakers: string[];
}

/** One article: title, a lede, a few quoted experts with descriptors, some filler sentences. */
export function generateArticle(i: number, opts: { outlets?: number; people?: number; paragraphs?: number } = {}): GeneratedArticle {
  const r = rng(i * 2654435761 + 17);
  const outlets = opts.outlets ?? 20;
  const people = opts.people ?? 300;
  const outlet = `outlet${Math.floor(r() * outlets)}.example`;
  const town = cap(word(r)) + cap(pick(r, SYL));
  const topic = pick(r, TOPICS);
  const day = new Date(Date.UTC(2024, 0, 1) + Math.floor(r() * 366) * 86400000);
  const ymd = day.toISOString().slice(0, 10);
  const title = `${town} ${topic} dispute deepens as council ${pick(r, ['meets', 'stalls', 'splits', 'votes'])}`;
  const paras: string[] = [`Officials in ${town} met on Monday to discuss the ${topic}, a plan critics call ${pick(r, LOADED)}.`];
  const speakers: string[] = [];
  const n = opts.paragraphs ?? 4;
  for (let p = 0; p < n; p++) {
    const who = Math.floor(r() * people);
    const name = `${FIRST[who % FIRST.length]} ${cap(SYL[who % SYL.length] + SYL[Math.floor(who / SYL.length) % SYL.length] + 'ski')}`;
    speakers.push(name);
    const filler = Array.from({ length: 12 + Math.floor(r() * 10) }, () => word(r)).join(' ');
    paras.push(`"The ${topic} is ${pick(r, LOADED)} for ${town}," ${pick(r, VERBS)} ${name}, a ${pick(r, ROLES)}. Residents of ${cap(word(r))} discussed ${filler}.`);
  }
  return {
    title,
    text: paras.join('\n\n'),
    url: `https://www.${outlet}/${ymd.replace(/-/g, '/')}/${topic}-${i}`,
    outlet,
    published: `${ymd}T${String(6 + Math.floor(r() * 14)).padStart(2, '0')}:00:00Z`,
    speakers,
  };
}

/** Articles stored in a SQLite corpus, read without taking a lock; 0 while it is not created or migrated yet. */
export function countStored(db: string): number {
  try {
    const d = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return (d.prepare('select count(*) n from articles').get() as { n: number }).n;
    } finally {
      d.close();
    }
  } catch {
    return 0;
  }
}
