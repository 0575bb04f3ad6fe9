/**
 * Turning scores into meaningful confidences and decisions:
 * Platt scaling per label, threshold search for micro-F1 (one cut on
 * calibrated probabilities, then per-label adjustments shrunk toward it),
 * and reliability tables.
 */

export interface Platt {
  a: number;
  b: number;
}

export function applyPlatt(p: Platt, score: number): number {
  return 1 / (1 + Math.exp(-(p.a * score + p.b)));
}

/** Fits p = sigmoid(a·s + b) by Newton's method with Platt's smoothed targets. */
export function fitPlatt(scores: ArrayLike<number>, y: ArrayLike<number>): Platt {
  let pos = 0;
  for (let i = 0; i < y.length; i++) pos += y[i] ? 1 : 0;
  const neg = y.length - pos;
  if (pos === 0 || neg === 0) {
    // nothing to scale: a constant at the smoothed base rate
    const r = (pos + 1) / (y.length + 2);
    return { a: 0, b: Math.log(r / (1 - r)) };
  }
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (neg + 2);
  const loss = (a: number, b: number) => {
    let f = 0;
    for (let i = 0; i < scores.length; i++) {
      const z = a * scores[i] + b;
      const t = y[i] ? hi : lo;
      // log(1 + e^z) - t z, computed stably
      f += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - t * z;
    }
    return f;
  };
  let a = 0;
  let b = Math.log((pos + 1) / (neg + 1));
  let f = loss(a, b);
  for (let it = 0; it < 100; it++) {
    let g1 = 0, g2 = 0, h11 = 1e-12, h12 = 0, h22 = 1e-12;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i];
      const t = y[i] ? hi : lo;
      const p = 1 / (1 + Math.exp(-(a * s + b)));
      const d = p - t;
      const w = p * (1 - p);
      g1 += d * s;
      g2 += d;
      h11 += w * s * s;
      h12 += w * s;
      h22 += w;
    }
    const det = h11 * h22 - h12 * h12;
    if (!(Math.abs(det) > 1e-18)) break;
    const da = (h22 * g1 - h12 * g2) / det;
    const db = (h11 * g2 - h12 * g1) / det;
    // backtracking line search (Lin, Lin & Weng 2007)
    let step = 1;
    let accepted = false;
    while (step >= 1e-10) {
      const na = a - step * da;
      const nb = b - step * db;
      const nf = loss(na, nb);
      if (nf < f + 1e-4 * step * (g1 * -da + g2 * -db)) {
        a = na;
        b = nb;
        f = nf;
        accepted = true;
        break;
      }
      step /= 2;
    }
    if (!accepted || (Math.abs(step * da) < 1e-8 && Math.abs(step * db) < 1e-8)) break;
  }
  return { a, b };
}

/** Micro-F1 of thresholded probabilities. `probs[i][l]`, `gold[i][l]` ∈ {0,1}. */
export function microF1At(probs: ArrayLike<number>[], gold: ArrayLike<number>[], thr: ArrayLike<number>): number {
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i];
    const g = gold[i];
    for (let l = 0; l < p.length; l++) {
      const yes = p[l] >= thr[l];
      if (yes && g[l]) tp++;
      else if (yes) fp++;
      else if (g[l]) fn++;
    }
  }
  return tp + fp + fn === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn);
}

export interface ThresholdOptions {
  /** Candidate cuts; default 0.02..0.90 by 0.01. */
  grid?: number[];
  /** Labels with fewer positives keep the global cut or are switched off. Default 30. */
  minPositives?: number;
  /** Shrinkage pseudo-count toward the global cut. Default 100. */
  shrink?: number;
  /** Rounds of per-label coordinate ascent. Default 2; 0 means global only. */
  rounds?: number;
}

/**
 * Chooses one threshold per label to maximise micro-F1: first the best single
 * cut, then per-label coordinate ascent (labels with enough positives),
 * each label's cut shrunk toward the global one by n/(n + shrink).
 * A label whose best cut is above every grid point is switched off (Infinity).
 */
export function tuneThresholds(probs: ArrayLike<number>[], gold: ArrayLike<number>[], opts: ThresholdOptions = {}) {
  const L = probs[0]?.length ?? 0;
  const grid = opts.grid ?? Array.from({ length: 89 }, (_, i) => Math.round((0.02 + i * 0.01) * 100) / 100);
  const minPos = opts.minPositives ?? 30;
  const shrink = opts.shrink ?? 100;
  const rounds = opts.rounds ?? 2;
  let global = grid[0];
  let best = -1;
  for (const t of grid) {
    const f = microF1At(probs, gold, new Array(L).fill(t));
    if (f > best) {
      best = f;
      global = t;
    }
  }
  const thr = new Array<number>(L).fill(global);
  const positives = new Array<number>(L).fill(0);
  for (const g of gold) for (let l = 0; l < L; l++) positives[l] += g[l] ? 1 : 0;
  // per-label sufficient statistics make coordinate ascent cheap
  let tp = 0, fp = 0, fn = 0;
  const count = (l: number, t: number) => {
    let a = 0, b = 0, c = 0;
    for (let i = 0; i < probs.length; i++) {
      const yes = probs[i][l] >= t;
      if (yes && gold[i][l]) a++;
      else if (yes) b++;
      else if (gold[i][l]) c++;
    }
    return [a, b, c];
  };
  const cur = Array.from({ length: L }, (_, l) => count(l, thr[l]));
  for (const [a, b, c] of cur) {
    tp += a;
    fp += b;
    fn += c;
  }
  for (let r = 0; r < rounds; r++) {
    for (let l = 0; l < L; l++) {
      const [a0, b0, c0] = cur[l];
      let bestT = thr[l];
      let bestF = (2 * tp) / (2 * tp + fp + fn);
      // rare labels may only choose between the global cut and never
      const candidates = positives[l] < minPos ? [global, Infinity] : [...grid, Infinity];
      for (const t of candidates) {
        const [a, b, c] = count(l, t);
        const T = tp - a0 + a, F = fp - b0 + b, N = fn - c0 + c;
        const f = (2 * T) / (2 * T + F + N);
        if (f > bestF + 1e-12) {
          bestF = f;
          bestT = t;
        }
      }
      const w = positives[l] < minPos ? 1 : positives[l] / (positives[l] + shrink);
      const t = bestT === Infinity ? Infinity : w * bestT + (1 - w) * global;
      thr[l] = t;
      const [a, b, c] = count(l, t);
      tp += a - a0;
      fp += b - b0;
      fn += c - c0;
      cur[l] = [a, b, c];
    }
  }
  return { global, thresholds: thr, microF1: microF1At(probs, gold, thr), positives };
}

export interface ReliabilityBin {
  lo: number;
  hi: number;
  n: number;
  meanPredicted: number;
  observed: number;
}

/** Bins (item, label) probabilities into `bins` equal-width bins; also expected calibration error. */
export function reliabilityTable(probs: ArrayLike<number>[], gold: ArrayLike<number>[], bins = 10) {
  const n = new Array<number>(bins).fill(0);
  const sp = new Array<number>(bins).fill(0);
  const sy = new Array<number>(bins).fill(0);
  let total = 0;
  for (let i = 0; i < probs.length; i++) {
    for (let l = 0; l < probs[i].length; l++) {
      const p = probs[i][l];
      const k = Math.min(bins - 1, Math.floor(p * bins));
      n[k]++;
      sp[k] += p;
      sy[k] += gold[i][l] ? 1 : 0;
      total++;
    }
  }
  const table: ReliabilityBin[] = [];
  let ece = 0;
  for (let k = 0; k < bins; k++) {
    const mp = n[k] ? sp[k] / n[k] : 0;
    const ob = n[k] ? sy[k] / n[k] : 0;
    table.push({ lo: k / bins, hi: (k + 1) / bins, n: n[k], meanPredicted: mp, observed: ob });
    if (total) ece += (n[k] / total) * Math.abs(mp - ob);
  }
  return { table, ece };
}

export function formatReliability(r: { table: ReliabilityBin[]; ece: number }): string {
  const lines = ['| confidence | pairs | mean confidence | observed rate |', '|---|---:|---:|---:|'];
  for (const b of r.table) {
    if (!b.n) continue;
    lines.push(`| ${b.lo.toFixed(1)}–${b.hi.toFixed(1)} | ${b.n} | ${b.meanPredicted.toFixed(3)} | ${b.observed.toFixed(3)} |`);
  }
  lines.push(`\nExpected calibration error: ${r.ece.toFixed(4)}`);
  return lines.join('\n');
}

/**
 * Per-class offsets (log prior shifts, thresholds …) by coordinate search:
 * `anchor` stays at 0; each round tries every grid value for every other class
 * in turn, keeping the one that maximises `score` (ties go to the smaller
 * magnitude, which is less tuned to a handful of examples).
 */
export function coordinateSearch(n: number, anchor: number, grid: readonly number[], score: (offsets: number[]) => number, rounds = 2): number[] {
  const shift = new Array<number>(n).fill(0);
  let best = score([...shift]);
  for (let round = 0; round < rounds; round++) {
    for (let l = 0; l < n; l++) {
      if (l === anchor) continue;
      let bestV = shift[l];
      for (const v of grid) {
        const trial = [...shift];
        trial[l] = v;
        const f = score(trial);
        if (f > best + 1e-9 || (Math.abs(f - best) <= 1e-9 && Math.abs(v) < Math.abs(bestV))) {
          best = f;
          bestV = v;
        }
      }
      shift[l] = bestV;
    }
  }
  return shift;
}
