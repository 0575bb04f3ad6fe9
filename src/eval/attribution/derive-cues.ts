/**
 * Derives `src/stages/quotes/data/cue-forms.tsv` from PolNeAR train: for each
 * word form, how often it heads a gold cue span and how often it occurs at all.
 * Only word forms and counts are written (no corpus text).
 *
 *   node --import tsx src/eval/attribution/derive-cues.ts ../shared/corpora/polnear/train.jsonl
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPolnear, type PolnearDoc } from './polnear.ts';

const SKIP = new Set(
  'has have had is are was were be been being also not did does do would will could can should may might must just repeatedly first later previously recently publicly already then still never even often once again n\'t s it'.split(' '),
);
const WORD = /[A-Za-z]+(?:['’][a-z]+)?/g;

export function deriveCueForms(path: string): { form: string; cue: number; occ: number }[] {
  return cueFormsOf(loadPolnear(path));
}

/** Cue head counts of already loaded documents (forms heading at least 3 gold cues). */
export function cueFormsOf(docs: readonly PolnearDoc[]): { form: string; cue: number; occ: number }[] {
  const cue = new Map<string, number>();
  const occ = new Map<string, number>();
  for (const d of docs) {
    for (const m of d.text.matchAll(WORD)) {
      const w = m[0].toLowerCase();
      occ.set(w, (occ.get(w) ?? 0) + 1);
    }
    for (const a of d.attributions) {
      const c = a.cue[0];
      if (!c) continue;
      const words = [...d.text.slice(c.start, c.end).matchAll(WORD)].map((m) => m[0].toLowerCase());
      const head = words.find((w) => !SKIP.has(w));
      if (head) cue.set(head, (cue.get(head) ?? 0) + 1);
    }
  }
  return [...cue.entries()]
    .map(([form, n]) => ({ form, cue: n, occ: occ.get(form) ?? n }))
    .filter((r) => r.cue >= 3)
    .sort((a, b) => b.cue - a.cue || a.form.localeCompare(b.form));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const path = process.argv[2] ?? '../shared/corpora/polnear/train.jsonl';
  const rows = deriveCueForms(path);
  const out = new URL('../../stages/quotes/data/cue-forms.tsv', import.meta.url);
  const header = [
    '# Cue head forms with counts, derived from PolNeAR train (relations annotated as attribution cues).',
    '# Columns: form, times it heads a gold cue span, times it occurs in the train texts.',
    '# Regenerate: node --import tsx src/eval/attribution/derive-cues.ts ../shared/corpora/polnear/train.jsonl',
    '# PolNeAR: Newell, Margolin & Ruths (2018), research use; only word forms and counts are kept here.',
  ];
  writeFileSync(out, [...header, ...rows.map((r) => `${r.form}\t${r.cue}\t${r.occ}`)].join('\n') + '\n');
  console.log(`wrote ${rows.length} forms to ${fileURLToPath(out)}`);
}
