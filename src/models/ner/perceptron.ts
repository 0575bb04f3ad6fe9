/**
 * Averaged perceptron over hashed features, with greedy left-to-right
 * decoding (previous two predicted tags are features). Training keeps a
 * Map from feature hash to a row of NTAGS weights; averaging uses the usual
 * lazy timestamp trick. Shared by every tagger we train.
 */
import { allowed as allowedExt, NTAGS } from './tags.ts';

const allowed = allowedExt;
import { Featurizer, MAX_FEATURES } from './features.ts';

export interface Sentence {
  words: string[];
  /** Tag indices (see tags.ts). */
  tags: number[];
}

/** Anything that scores a feature list: the trainer and the compact model both are. */
export interface Scorer {
  score(feats: Uint32Array, n: number, scores: Float64Array): void;
}

/** Greedy decode of the sentence loaded in `fz`; returns tag indices. */
export function decode(fz: Featurizer, scorer: Scorer, buf = new Uint32Array(MAX_FEATURES)): number[] {
  const n = fz.n;
  const tags = new Array<number>(n);
  const scores = new Float64Array(NTAGS);
  let p1 = 9;
  let p2 = 9;
  for (let i = 0; i < n; i++) {
    let k = fz.staticFeatures(i, buf);
    k = fz.dynamicFeatures(i, p1, p2, buf, k);
    scores.fill(0);
    scorer.score(buf, k, scores);
    tags[i] = best(scores, p1);
    p2 = p1;
    p1 = tags[i];
  }
  return tags;
}

export function best(scores: Float64Array, prev: number): number {
  let bi = 0;
  let bs = -Infinity;
  for (let t = 0; t < NTAGS; t++) {
    if (!allowed(prev === 9 ? 0 : prev, t)) continue;
    if (scores[t] > bs) {
      bs = scores[t];
      bi = t;
    }
  }
  return bi;
}

export class Trainer implements Scorer {
  private rows = new Map<number, number>();
  private w = new Float64Array(1 << 20);
  private tot = new Float64Array(1 << 20);
  private ts = new Float64Array(1 << 20);
  private nrows = 0;
  /** Update counter (number of tokens seen). */
  private t = 0;

  private row(f: number, create: boolean): number {
    let r = this.rows.get(f);
    if (r === undefined) {
      if (!create) return -1;
      r = this.nrows++;
      this.rows.set(f, r);
      if ((r + 1) * NTAGS > this.w.length) {
        const grow = (a: Float64Array) => {
          const b = new Float64Array(a.length * 2);
          b.set(a);
          return b;
        };
        this.w = grow(this.w);
        this.tot = grow(this.tot);
        this.ts = grow(this.ts);
      }
    }
    return r;
  }

  score(feats: Uint32Array, n: number, scores: Float64Array): void {
    const w = this.w;
    for (let j = 0; j < n; j++) {
      const r = this.rows.get(feats[j]);
      if (r === undefined) continue;
      const o = r * NTAGS;
      for (let t = 0; t < NTAGS; t++) scores[t] += w[o + t];
    }
  }

  private update(feats: Uint32Array, n: number, tag: number, delta: number) {
    for (let j = 0; j < n; j++) {
      const i = this.row(feats[j], true) * NTAGS + tag;
      this.tot[i] += (this.t - this.ts[i]) * this.w[i];
      this.ts[i] = this.t;
      this.w[i] += delta;
    }
  }

  /** One pass over `data` in the given order; returns token accuracy. */
  epoch(data: Sentence[], order: number[], fz: Featurizer): number {
    const buf = new Uint32Array(MAX_FEATURES);
    const scores = new Float64Array(NTAGS);
    let right = 0;
    let total = 0;
    for (const si of order) {
      const s = data[si];
      fz.load(s.words);
      let p1 = 9;
      let p2 = 9;
      for (let i = 0; i < fz.n; i++) {
        this.t++;
        let k = fz.staticFeatures(i, buf);
        k = fz.dynamicFeatures(i, p1, p2, buf, k);
        scores.fill(0);
        this.score(buf, k, scores);
        const guess = best(scores, p1);
        const gold = s.tags[i];
        if (guess !== gold) {
          this.update(buf, k, gold, 1);
          this.update(buf, k, guess, -1);
        } else right++;
        total++;
        p2 = p1;
        p1 = guess;
      }
    }
    return total ? right / total : 1;
  }

  /** Averaged weights: feature hashes and a dense rows × NTAGS matrix. */
  averaged(): { keys: Uint32Array; weights: Float32Array } {
    const keys = new Uint32Array(this.nrows);
    const weights = new Float32Array(this.nrows * NTAGS);
    for (const [f, r] of this.rows) {
      keys[r] = f;
      for (let t = 0; t < NTAGS; t++) {
        const i = r * NTAGS + t;
        const tot = this.tot[i] + (this.t - this.ts[i]) * this.w[i];
        weights[i] = this.t ? tot / this.t : 0;
      }
    }
    return { keys, weights };
  }
}

/** Deterministic PRNG (mulberry32) for shuffling. */
export { rng } from '../../ml/rng.ts';

export function shuffled(n: number, rand: () => number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}
