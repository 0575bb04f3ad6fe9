/**
 * Cue lists widened with the project's word vectors: each single-word cue of
 * a category brings its nearest neighbours (cosine ≥ minSim, k per cue),
 * unless a neighbour is already a cue of another category. Exploratory
 * (explore.ts, `--extra lex`).
 */
import { readFileSync } from 'node:fs';
import { loadWordVectors } from '../../models/embeddings/index.ts';
import { wordsOf } from './features.ts';

export const LEX_KEYS = ['attribution', 'evaluative', 'intensifier', 'hedge', 'institution'] as const;

export function expandedLexicons(k = 10, minSim = 0.65): Map<string, Set<string>> {
  const wv = loadWordVectors();
  const raw = JSON.parse(readFileSync(new URL('./cues-en.json', import.meta.url), 'utf8')) as Record<string, string[] | string>;
  const taken = new Set<string>();
  for (const [key, list] of Object.entries(raw)) if (Array.isArray(list) && key !== '_note') for (const w of list) taken.add(w.toLowerCase());
  const out = new Map<string, Set<string>>();
  for (const key of LEX_KEYS) {
    const seeds = (raw[key] as string[]).map((w) => w.toLowerCase());
    const set = new Set(seeds.filter((w) => !w.includes(' ')));
    for (const s of seeds) {
      const id = wv.id(s);
      if (s.includes(' ') || id < 0) continue;
      for (const n of wv.nearest(id, k)) if (n.similarity >= minSim && !taken.has(n.word) && /^[a-z]+$/.test(n.word)) set.add(n.word);
    }
    out.set(key, set);
  }
  return out;
}

let lex: Map<string, Set<string>> | null = null;

export const LEX_FEATURES = LEX_KEYS.map((k) => `lex_${k}_rate`);

/** Rates per 100 words of the widened lists (single words only). */
export function lexFeatures(text: string): number[] {
  lex ??= expandedLexicons();
  const { lower } = wordsOf(text);
  const n = Math.max(1, lower.length);
  return LEX_KEYS.map((key) => {
    const set = lex!.get(key)!;
    let c = 0;
    for (const w of lower) if (set.has(w)) c++;
    return (100 * c) / n;
  });
}
