/**
 * Error analysis for the quotes layer on PolNeAR-format JSONL: where the
 * per-element F1 is lost. For every element (content, cue, source) each
 * unmatched gold item and each unmatched predicted item (after the same
 * one-to-one overlap matching as score.ts) is put in one class:
 *
 *   boundary — it shares tokens with an item on the other side, but too few (< 0.5);
 *   taken    — it overlaps enough with an item that was matched to another one;
 *   missed / spurious — it shares no token with any item on the other side.
 *
 * Gold misses are further broken down by gold kind (direct / mixed / indirect),
 * content position (content before / after the cue) and cue head word, and
 * boundary errors by the edge tokens that differ (leading "that", final
 * period, quotation marks, trailing comma …). `--show N` prints N examples per
 * class to the terminal (corpus text is printed, never written to the repo).
 *
 *   node --import tsx src/eval/attribution/errors.ts --data ../shared/corpora/polnear/dev.jsonl [--mode rules] [--show 5] [--limit 40]
 *
 * `--heldout` keeps only the held-out tenth of PolNeAR train (with --data train.jsonl) and
 * `--model FILE` uses a tagger saved by `src/stages/quotes/tagger/experiment.ts --save`, so that
 * errors can be read on the selection split instead of dev (`--fold 1|2`: the other held-out tenths).
 *
 * Nested relations (a gold relation whose cue lies inside another gold relation's content, as in
 * "X said that Y believes Z") are counted apart: how many there are and how many of each element
 * are missed, against all misses.
 */
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { decodeModel, setTagger } from '../../stages/quotes/tagger/model.ts';
import { splitTrain } from '../../stages/quotes/tagger/experiment.ts';
import type { Quote } from '../../document/types.ts';
import { loadPolnear, type GoldRelation } from './polnear.ts';
import { quotesForRaw, ELEMENTS, type Element } from './run.ts';
import { itemOf, overlapRatio, tokenStarts, type Item, type Range } from './score.ts';

interface Side {
  item: Item;
  /** Index of the relation / quote it comes from. */
  from: number;
  matched: number;
}

function predSpans(q: Quote, el: Element): Range[] {
  if (el === 'content') return q.parts;
  if (el === 'cue') return q.cue ? [q.cue] : [];
  const s = q.source ?? q.speaker.mention;
  return s ? [s] : [];
}

/** One-to-one greedy matching as in score.ts; returns matches on both sides. */
function match(pred: Side[], gold: Side[]): void {
  const pairs: [number, number, number][] = [];
  for (let i = 0; i < pred.length; i++) for (let j = 0; j < gold.length; j++) {
    const r = overlapRatio(pred[i].item, gold[j].item);
    if (r >= 0.5) pairs.push([r, i, j]);
  }
  pairs.sort((a, b) => b[0] - a[0] || a[1] - b[1] || a[2] - b[2]);
  for (const [, i, j] of pairs) {
    if (pred[i].matched >= 0 || gold[j].matched >= 0) continue;
    pred[i].matched = j;
    gold[j].matched = i;
  }
}

function classify(x: Side, others: Side[]): 'boundary' | 'taken' | 'none' {
  let best = 0;
  for (const o of others) best = Math.max(best, overlapRatio(x.item, o.item));
  if (best >= 0.5) return 'taken';
  for (const o of others) {
    const a = new Set(o.item.toks);
    if (x.item.toks.some((t) => a.has(t))) return 'boundary';
  }
  return 'none';
}

function goldKind(text: string, rel: GoldRelation): string {
  const s = rel.content.map((c) => text.slice(c.start, c.end)).join(' ');
  const m = s.match(/["“”]/g);
  if (!m) return 'indirect';
  return /^\s*["“]/.test(s) && /["”]\s*$/.test(s) ? 'direct' : 'mixed';
}

const bump = (m: Map<string, number>, k: string, n = 1) => m.set(k, (m.get(k) ?? 0) + n);
const top = (m: Map<string, number>, n: number) =>
  [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, v]) => `${k} ${v}`).join(' · ');

/** Describe how two token sets differ at their edges. */
function edgeDiff(text: string, starts: number[], p: Item, g: Item): string[] {
  const tok = (k: number) => {
    const s = starts[k];
    const m = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/uy;
    m.lastIndex = s;
    return (m.exec(text)?.[0] ?? '').toLowerCase();
  };
  const out: string[] = [];
  const ps = new Set(p.toks);
  const gs = new Set(g.toks);
  const extra = p.toks.filter((k) => !gs.has(k));
  const lack = g.toks.filter((k) => !ps.has(k));
  const label = (k: number) => {
    const w = tok(k);
    return /^[\p{L}\p{N}]/u.test(w) ? (/^(that|the|a|he|she|they|it|said|says|and|but)$/.test(w) ? w : 'word') : w;
  };
  if (extra.length && extra.length <= 2) out.push('pred+ ' + extra.map(label).join(' '));
  else if (extra.length) out.push(`pred+ ${extra.length} tokens`);
  if (lack.length && lack.length <= 2) out.push('gold+ ' + lack.map(label).join(' '));
  else if (lack.length) out.push(`gold+ ${lack.length} tokens`);
  return out;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: '../shared/corpora/polnear/dev.jsonl' },
      mode: { type: 'string' },
      show: { type: 'string', default: '0' },
      limit: { type: 'string' },
      element: { type: 'string' },
      model: { type: 'string' },
      heldout: { type: 'boolean', default: false },
      fold: { type: 'string', default: '0' },
    },
  });
  // --model FILE: an uncompressed tagger file (experiment.ts --save) instead of the committed one.
  if (values.model) setTagger(decodeModel(readFileSync(values.model)));
  const loaded = loadPolnear(values.data!, values.limit ? Number(values.limit) : Infinity);
  // --heldout: only the held-out tenth of train used for selection (tagger/experiment.ts).
  const docs = values.heldout ? splitTrain(loaded, 10, Number(values.fold)).held : loaded;
  const show = Number(values.show);
  const mode = values.mode as 'rules' | 'tagger' | 'hybrid' | undefined;
  const els = values.element ? [values.element as Element] : ELEMENTS;
  const stats = new Map<Element, { fn: Map<string, number>; fp: Map<string, number>; fnKind: Map<string, number>; fnCue: Map<string, number>; fpCue: Map<string, number>; edge: Map<string, number>; goldKind: Map<string, number>; edgeCue: Map<string, number>; runOn: Map<string, number> }>();
  for (const el of els) stats.set(el, { fn: new Map(), fp: new Map(), fnKind: new Map(), fnCue: new Map(), fpCue: new Map(), edge: new Map(), goldKind: new Map(), edgeCue: new Map(), runOn: new Map() });
  // Nested gold relations (cue inside another relation's content): total, and unmatched per element.
  const nested = { gold: 0, fn: new Map<string, number>(), fnAll: new Map<string, number>(), goldAll: 0 };
  const examples = new Map<string, string[]>();
  const example = (k: string, s: string) => {
    const l = examples.get(k) ?? [];
    if (l.length < show) l.push(s);
    examples.set(k, l);
  };
  for (const doc of docs) {
    const text = doc.text;
    const quotes = quotesForRaw(text, { mode });
    const starts = tokenStarts(text);
    const isNested = doc.attributions.map((r, i) =>
      r.cue.length > 0 &&
      doc.attributions.some((o, j) => j !== i && o.content.some((c) => r.cue.every((q) => q.start >= c.start && q.end <= c.end))),
    );
    nested.goldAll += isNested.length;
    nested.gold += isNested.filter(Boolean).length;
    const cueWord = (r: Range[] | undefined) => (r && r[0] ? text.slice(r[0].start, r[0].end).toLowerCase().replace(/\s+/g, ' ') : '∅');
    for (const el of els) {
      const st = stats.get(el)!;
      const gold: Side[] = [];
      doc.attributions.forEach((r, i) => {
        const it = itemOf(starts, r[el]);
        if (it) gold.push({ item: it, from: i, matched: -1 });
      });
      const pred: Side[] = [];
      quotes.forEach((q, i) => {
        const it = itemOf(starts, predSpans(q, el));
        if (it) pred.push({ item: it, from: i, matched: -1 });
      });
      match(pred, gold);
      for (const g of gold) {
        const rel = doc.attributions[g.from];
        const kind = goldKind(text, rel);
        bump(st.goldKind, kind);
        if (g.matched >= 0) continue;
        bump(nested.fnAll, el);
        if (isNested[g.from]) bump(nested.fn, el);
        const c = classify(g, pred);
        bump(st.fn, c);
        const pos = rel.cue[0] && rel.content[0] ? (rel.content[0].start >= rel.cue[0].end ? 'after' : 'before') : 'nocue';
        bump(st.fnKind, `${kind}/${pos}/${c}`);
        if (c === 'none') bump(st.fnCue, cueWord(rel.cue));
        if (c === 'boundary' || c === 'taken') {
          // the predicted item sharing most tokens
          let best: Side | null = null;
          let bo = -1;
          for (const p of pred) {
            const o = overlapRatio(p.item, g.item);
            if (o > bo) { bo = o; best = p; }
          }
          if (best && c === 'boundary') {
            for (const d of edgeDiff(text, starts, best.item, g.item)) bump(st.edge, d);
            // Direction (predicted longer / shorter / shifted) by the predicted quote's cue.
            const ps = new Set(best.item.toks);
            const gs = new Set(g.item.toks);
            const extra = best.item.toks.some((t) => !gs.has(t));
            const lack = g.item.toks.some((t) => !ps.has(t));
            const dir = extra && lack ? 'shifted' : extra ? 'longer' : 'shorter';
            bump(st.edgeCue, `${dir}`);
            bump(st.edgeCue, `${dir}:${(quotes[best.from].cue?.text ?? '∅').toLowerCase()}`);
            if (dir === 'longer') {
              // Where the predicted content runs on: the first extra token after the gold content's end (or before its start).
              const gMax = Math.max(...g.item.toks);
              const gMin = Math.min(...g.item.toks);
              const after = best.item.toks.filter((t) => t > gMax).sort((a, b) => a - b);
              const before = best.item.toks.filter((t) => t < gMin).sort((a, b) => b - a);
              const word = (k: number) => {
                const m = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/uy;
                m.lastIndex = starts[k];
                return (m.exec(text)?.[0] ?? '').toLowerCase();
              };
              if (after.length) bump(st.runOn, `after:${word(after[0])}`);
              if (before.length) bump(st.runOn, `before:${word(before[0])}`);
            }
          }
          if (best) example(`${el} FN ${c}`, `GOLD [${rel[el].map((s) => text.slice(s.start, s.end)).join(' | ')}]\n     PRED [${predSpans(quotes[best.from], el).map((s) => text.slice(s.start, s.end)).join(' | ')}] cue=${quotes[best.from].cue?.text ?? '∅'}`);
        } else {
          example(`${el} FN none`, `GOLD [${rel[el].map((s) => text.slice(s.start, s.end)).join(' | ')}] cue=${cueWord(rel.cue)}`);
        }
      }
      for (const p of pred) {
        if (p.matched >= 0) continue;
        const c = classify(p, gold);
        bump(st.fp, c);
        const q = quotes[p.from];
        if (c === 'none') {
          bump(st.fpCue, (q.cue?.text ?? '∅').toLowerCase());
          example(`${el} FP none`, `PRED [${predSpans(q, el).map((s) => text.slice(s.start, s.end)).join(' | ')}] cue=${q.cue?.text ?? '∅'}`);
        }
      }
    }
  }
  for (const el of els) {
    const st = stats.get(el)!;
    console.log(`\n== ${el}`);
    console.log(`gold kinds: ${top(st.goldKind, 5)}`);
    console.log(`FN (gold unmatched): ${top(st.fn, 5)}`);
    console.log(`FP (pred unmatched): ${top(st.fp, 5)}`);
    console.log(`FN by kind/position/class: ${top(st.fnKind, 14)}`);
    console.log(`boundary differences (pred+ = extra predicted tokens, gold+ = missing): ${top(st.edge, 20)}`);
    console.log(`boundary misses by direction and predicted cue: ${top(st.edgeCue, 30)}`);
    console.log(`too-long predictions, first extra token after / before the gold span: ${top(st.runOn, 30)}`);
    console.log(`missed relations by gold cue: ${top(st.fnCue, 30)}`);
    console.log(`spurious relations by predicted cue: ${top(st.fpCue, 30)}`);
  }
  console.log(`\nnested gold relations (cue inside another relation's content): ${nested.gold} of ${nested.goldAll}`);
  for (const el of els) console.log(`  ${el}: ${nested.fn.get(el) ?? 0} nested gold missed (unmatched) of ${nested.fnAll.get(el) ?? 0} gold missed`);
  for (const [k, l] of examples) {
    if (!l.length) continue;
    console.log(`\n-- ${k}`);
    for (const s of l) console.log('  ' + s.replace(/\n/g, ' ').slice(0, 400));
  }
}

main();
