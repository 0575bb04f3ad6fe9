/** Group k-fold: every item of a group (an article) lands in the same fold. */
import { rng, shuffle } from './rng.ts';

/**
 * Returns the fold (0..k-1) of each item. Groups are shuffled with the seed,
 * then assigned greedily to the fold with the fewest items so far, which
 * keeps fold sizes even.
 */
export function groupKFold(groups: string[], k: number, seed = 1): number[] {
  if (k < 2) throw new Error('k must be at least 2');
  const sizes = new Map<string, number>();
  for (const g of groups) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  const ids = shuffle([...sizes.keys()].sort(), rng(seed));
  // larger groups first (stable on the shuffled order) for balance
  ids.sort((a, b) => sizes.get(b)! - sizes.get(a)!);
  const load = new Array<number>(k).fill(0);
  const foldOf = new Map<string, number>();
  for (const g of ids) {
    let best = 0;
    for (let f = 1; f < k; f++) if (load[f] < load[best]) best = f;
    foldOf.set(g, best);
    load[best] += sizes.get(g)!;
  }
  return groups.map((g) => foldOf.get(g)!);
}

export function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const v = xs.length > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) : 0;
  return { mean, std: Math.sqrt(v) };
}
