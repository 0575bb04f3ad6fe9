/**
 * Self-training units: a trained tagger labels unlabeled articles, and the units it is sure of
 * (its first pass's best path beats every other path by at least `minGap`, pathGap in model.ts)
 * and that hold at least one cue become extra training units, with their own weight.
 * Used by experiment.ts (--self MODEL); nothing in the stage reads it.
 */
import { segment } from '../../../segment/index.ts';
import { extract } from '../extract.ts';
import { ruleTags, stackCtx, stackFeatures, rowSums, unitEmissions, unitEmissionsKept, worthTagging } from './features.ts';
import { worthRestacking } from './decode.ts';
import { L, pathGap, viterbiEmissions, type Weights } from './model.ts';

export interface PseudoLabels {
  /** Index of the text in the pool. */
  text: number;
  /** Unit index in the text's extraction (the same units docUnits builds). */
  unit: number;
  labels: Uint8Array;
  gap: number;
}

/**
 * Labels of the confident units of every text: the tagger's labels as the stage computes them
 * (first pass, then the gated second pass where the first is unsure), kept where the first pass's
 * gap is ≥ minGap and the labels hold a cue (B-C).
 */
export function pseudoLabel(texts: readonly string[], weights: Weights, minGap: number): PseudoLabels[] {
  const out: PseudoLabels[] = [];
  const st = weights.stack;
  texts.forEach((text, ti) => {
    const seg = segment(text);
    const ex = extract({ text, paragraphs: seg.segments.paragraphs, sentences: seg.segments.sentences, tokens: seg.tokens });
    ex.units.forEach((u, i) => {
      const rules = ruleTags(u, ex.drafts);
      if (!worthTagging(u, rules)) return;
      const paraStart = i === 0 || ex.units[i - 1].paragraph !== u.paragraph;
      const em = unitEmissions(text, u, rules, paraStart, weights, 1, true);
      let labels = viterbiEmissions(weights, em);
      const gap = pathGap(weights, em, labels);
      if (gap < minGap || !labels.includes(3)) return;
      if (st?.stackFull && st.gate !== undefined && worthRestacking(labels, rules) && gap < st.gate) {
        const em2 = unitEmissionsKept(u, rules, st);
        stackFeatures(stackCtx(u, rules), labels, (k, buf, len) => rowSums(st.emit, buf, len, em2, k * L));
        labels = viterbiEmissions(st, em2);
      }
      out.push({ text: ti, unit: i, labels: Uint8Array.from(labels), gap });
    });
  });
  return out;
}
