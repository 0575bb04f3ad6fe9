/**
 * Entity-level precision/recall/F1 as conlleval computes them: a predicted
 * entity counts only when its span and type both match a gold entity exactly.
 */
import { chunks } from './tags.ts';

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  gold: number;
  predicted: number;
  correct: number;
}

export interface EvalResult {
  overall: Prf;
  byType: Record<string, Prf>;
}

function prf(correct: number, gold: number, predicted: number): Prf {
  const precision = predicted ? correct / predicted : 0;
  const recall = gold ? correct / gold : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, gold, predicted, correct };
}

/** Score parallel lists of gold and predicted tag sequences (one per sentence). */
export function conlleval(gold: string[][], pred: string[][]): EvalResult {
  const counts = new Map<string, { c: number; g: number; p: number }>();
  const get = (t: string) => {
    let x = counts.get(t);
    if (!x) counts.set(t, (x = { c: 0, g: 0, p: 0 }));
    return x;
  };
  let C = 0, G = 0, P = 0;
  for (let s = 0; s < gold.length; s++) {
    const g = chunks(gold[s]);
    const p = chunks(pred[s]);
    const gs = new Set(g.map((c) => `${c.start}:${c.end}:${c.type}`));
    for (const c of g) get(c.type).g++;
    for (const c of p) {
      get(c.type).p++;
      if (gs.has(`${c.start}:${c.end}:${c.type}`)) {
        get(c.type).c++;
        C++;
      }
    }
    G += g.length;
    P += p.length;
  }
  const byType: Record<string, Prf> = {};
  for (const [t, x] of [...counts].sort()) byType[t] = prf(x.c, x.g, x.p);
  return { overall: prf(C, G, P), byType };
}

/** A fixed-width table of results, one row per set and type. */
export function formatTable(rows: { set: string; result: EvalResult }[]): string {
  const pct = (x: number) => (100 * x).toFixed(2).padStart(6);
  const lines = ['set                  type     P       R       F1     gold  pred'];
  for (const { set, result } of rows) {
    const all: [string, Prf][] = [['ALL', result.overall], ...Object.entries(result.byType)];
    for (const [type, r] of all)
      lines.push(`${set.padEnd(20)} ${type.padEnd(6)} ${pct(r.precision)}  ${pct(r.recall)}  ${pct(r.f1)}  ${String(r.gold).padStart(5)} ${String(r.predicted).padStart(5)}`);
  }
  return lines.join('\n');
}
