/**
 * Multi-label F1 over item × label decisions, in the convention of the
 * SemEval-2023 scorers (sklearn with zero_division=1: a label with no gold and
 * no prediction scores 1 in the macro average).
 */
export interface PRF {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export function prf(tp: number, fp: number, fn: number, zeroDivision = 1): PRF {
  const precision = tp + fp === 0 ? zeroDivision : tp / (tp + fp);
  const recall = tp + fn === 0 ? zeroDivision : tp / (tp + fn);
  const f1 = tp + fp + fn === 0 ? zeroDivision : (2 * tp) / (2 * tp + fp + fn);
  return { tp, fp, fn, precision, recall, f1 };
}

/** `gold[i]` and `pred[i]` are label sets of item i; `labels` fixes the macro average's classes. */
export function multiLabelF1(gold: Iterable<string>[], pred: Iterable<string>[], labels: string[]) {
  const per = new Map<string, { tp: number; fp: number; fn: number }>();
  for (const l of labels) per.set(l, { tp: 0, fp: 0, fn: 0 });
  for (let i = 0; i < gold.length; i++) {
    const g = new Set(gold[i]);
    const p = new Set(pred[i]);
    for (const l of p) {
      const c = per.get(l) ?? per.set(l, { tp: 0, fp: 0, fn: 0 }).get(l)!;
      if (g.has(l)) c.tp++;
      else c.fp++;
    }
    for (const l of g) if (!p.has(l)) (per.get(l) ?? per.set(l, { tp: 0, fp: 0, fn: 0 }).get(l)!).fn++;
  }
  let tp = 0, fp = 0, fn = 0;
  const perLabel: Record<string, PRF> = {};
  let macro = 0;
  for (const l of labels) {
    const c = per.get(l)!;
    perLabel[l] = prf(c.tp, c.fp, c.fn);
    macro += perLabel[l].f1;
  }
  for (const c of per.values()) {
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
  }
  return { micro: prf(tp, fp, fn), macroF1: labels.length ? macro / labels.length : 0, perLabel };
}
