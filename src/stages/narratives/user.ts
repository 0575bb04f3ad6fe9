/**
 * User-defined narratives: a JSON file researchers write for their own topic
 * (format `unspin/narratives@1`, see examples/narratives/), matched against the
 * sentences of an article.
 *
 * How matching works (deterministic, no model needed):
 *  1. Every example sentence and the description of a narrative, and every
 *     sentence of the article, become a bag of *terms*: lower-cased word
 *     tokens minus English function words (data/stopwords-en.txt), each cut to
 *     its first 6 characters (a crude stem, so "sanction", "sanctions",
 *     "sanctioned" meet), plus the pairs of neighbouring stems (bigrams).
 *  2. Terms are weighted by an IDF computed over all examples and descriptions
 *     in the file, so words every narrative shares count less; vectors are
 *     L2-normalised.
 *  3. A sentence's similarity to a narrative is its best cosine against any of
 *     the narrative's examples (or its description). A sentence supports the
 *     narrative when the similarity reaches the threshold (the narrative's own
 *     `threshold`, else the file's, else 0.3) **and** it shares at least two
 *     distinct stems with that example (one common word is not a narrative).
 *  4. The narrative is reported when at least one sentence supports it; its
 *     confidence is the best similarity, its evidence the supporting
 *     sentences (at most 5, best first, weight = similarity).
 */
import { readFileSync } from 'node:fs';
import { fnv, mix, wordTokens } from '../../ml/index.ts';

export const USER_FORMAT = 'unspin/narratives@1';
export const DEFAULT_USER_THRESHOLD = 0.3;
const STEM = 6;
const MAX_EVIDENCE = 5;

export interface UserNarrativeDef {
  id: string;
  name: string;
  description: string;
  examples: string[];
  threshold?: number;
}

export interface UserNarrativeFile {
  format: typeof USER_FORMAT;
  /** What the file is about. */
  topic: string;
  threshold?: number;
  narratives: UserNarrativeDef[];
}

export class NarrativeFileError extends Error {}

const STOP = new Set(
  readFileSync(new URL('./data/stopwords-en.txt', import.meta.url), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#')),
);

/** Checks a parsed file and returns it typed; throws NarrativeFileError saying what is wrong. */
export function validateUserNarratives(data: unknown, where = 'narratives file'): UserNarrativeFile {
  const fail = (m: string): never => {
    throw new NarrativeFileError(`${where}: ${m}`);
  };
  if (!data || typeof data !== 'object') fail('expected a JSON object');
  const o = data as Record<string, unknown>;
  if (o.format !== USER_FORMAT) fail(`"format" must be "${USER_FORMAT}"`);
  if (typeof o.topic !== 'string' || !o.topic.trim()) fail('"topic" must be a non-empty string');
  if (o.threshold !== undefined && !(typeof o.threshold === 'number' && o.threshold > 0 && o.threshold <= 1)) fail('"threshold" must be a number in (0, 1]');
  if (!Array.isArray(o.narratives) || !o.narratives.length) fail('"narratives" must be a non-empty list');
  const ids = new Set<string>();
  (o.narratives as unknown[]).forEach((n, i) => {
    const at = `narratives[${i}]`;
    if (!n || typeof n !== 'object') fail(`${at} must be an object`);
    const d = n as Record<string, unknown>;
    for (const k of ['id', 'name', 'description']) if (typeof d[k] !== 'string' || !(d[k] as string).trim()) fail(`${at}.${k} must be a non-empty string`);
    if (ids.has(d.id as string)) fail(`${at}.id "${String(d.id)}" is used twice`);
    ids.add(d.id as string);
    if (!Array.isArray(d.examples) || !d.examples.length || !d.examples.every((e) => typeof e === 'string' && e.trim())) {
      fail(`${at}.examples must be a non-empty list of sentences`);
    }
    if (d.threshold !== undefined && !(typeof d.threshold === 'number' && d.threshold > 0 && d.threshold <= 1)) fail(`${at}.threshold must be a number in (0, 1]`);
  });
  return o as unknown as UserNarrativeFile;
}

export function readUserNarratives(path: string): UserNarrativeFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new NarrativeFileError(`${path}: ${(e as Error).message}`);
  }
  return validateUserNarratives(data, path);
}

/** Content-word stems of a text, in order. */
export function stems(text: string): string[] {
  return wordTokens(text)
    .filter((t) => /[\p{L}\p{N}]/u.test(t) && !STOP.has(t))
    .map((t) => [...t].slice(0, STEM).join(''));
}

/** Term hashes: stems and neighbouring stem pairs. */
function terms(text: string): { uni: Set<number>; all: Map<number, number> } {
  const s = stems(text);
  const hs = s.map((x) => fnv(x));
  const all = new Map<number, number>();
  const uni = new Set<number>();
  for (const h of hs) {
    uni.add(h);
    all.set(h, (all.get(h) ?? 0) + 1);
  }
  for (let i = 0; i + 1 < hs.length; i++) {
    const b = mix(mix(0x9e3779b9, hs[i]), hs[i + 1]);
    all.set(b, (all.get(b) ?? 0) + 1);
  }
  return { uni, all };
}

interface Vec {
  uni: Set<number>;
  w: Map<number, number>;
}

function weigh(t: { uni: Set<number>; all: Map<number, number> }, idf: (h: number) => number): Vec {
  const w = new Map<number, number>();
  let s = 0;
  for (const [h, c] of t.all) {
    const v = (1 + Math.log(c)) * idf(h);
    w.set(h, v);
    s += v * v;
  }
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (const [h, v] of w) w.set(h, v * inv);
  return { uni: t.uni, w };
}

function cosine(a: Vec, b: Vec): number {
  const [small, big] = a.w.size <= b.w.size ? [a.w, b.w] : [b.w, a.w];
  let s = 0;
  for (const [h, v] of small) {
    const u = big.get(h);
    if (u !== undefined) s += u * v;
  }
  return s;
}

function sharedStems(a: Vec, b: Vec): number {
  let n = 0;
  for (const h of a.uni) if (b.uni.has(h)) n++;
  return n;
}

export interface UserMatch {
  id: string;
  name: string;
  confidence: number;
  /** Supporting passages by index into the given passages, best first. */
  support: { index: number; similarity: number; example: number }[];
}

/** A compiled file: example vectors ready for matching many articles. */
export class UserNarrativeMatcher {
  private readonly idf: Map<number, number>;
  private readonly idfDefault: number;
  private readonly compiled: { def: UserNarrativeDef; threshold: number; vecs: Vec[] }[];

  constructor(readonly file: UserNarrativeFile) {
    const texts = file.narratives.flatMap((n) => [n.description, ...n.examples]);
    const df = new Map<number, number>();
    const termSets = texts.map((t) => terms(t));
    for (const t of termSets) for (const h of t.all.keys()) df.set(h, (df.get(h) ?? 0) + 1);
    const N = texts.length;
    this.idf = new Map([...df].map(([h, d]) => [h, Math.log((1 + N) / (1 + d)) + 1]));
    this.idfDefault = Math.log(1 + N) + 1;
    const idf = (h: number) => this.idf.get(h) ?? this.idfDefault;
    let k = 0;
    this.compiled = file.narratives.map((def) => {
      const vecs = [def.description, ...def.examples].map(() => weigh(termSets[k++], idf));
      return { def, threshold: def.threshold ?? file.threshold ?? DEFAULT_USER_THRESHOLD, vecs };
    });
  }

  /** Matches the narratives against passages (usually the article's sentences). */
  match(passages: string[]): UserMatch[] {
    const idf = (h: number) => this.idf.get(h) ?? this.idfDefault;
    const pv = passages.map((p) => weigh(terms(p), idf));
    const out: UserMatch[] = [];
    for (const { def, threshold, vecs } of this.compiled) {
      const support: UserMatch['support'] = [];
      pv.forEach((v, index) => {
        let best = 0;
        let example = -1;
        vecs.forEach((e, j) => {
          if (sharedStems(v, e) < 2) return;
          const c = cosine(v, e);
          if (c > best) {
            best = c;
            example = j - 1; // -1 = the description
          }
        });
        if (best >= threshold) support.push({ index, similarity: Math.min(1, best), example });
      });
      if (!support.length) continue;
      support.sort((a, b) => b.similarity - a.similarity || a.index - b.index);
      out.push({ id: def.id, name: def.name, confidence: support[0].similarity, support: support.slice(0, MAX_EVIDENCE) });
    }
    return out.sort((a, b) => b.confidence - a.confidence);
  }
}
