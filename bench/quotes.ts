/**
 * Throughput of the quotes stage alone (segmentation and entities are done
 * beforehand and not timed), on the synthetic corpus and, when present, on
 * PolNeAR dev texts. Baseline: segmentation of the same texts in the same run.
 */
import { existsSync } from 'node:fs';
import type { BenchResult } from './types.ts';
import { syntheticArticle } from './corpus.ts';
import { segment } from '../src/segment/index.ts';
import { findEntities } from '../src/stages/entities/index.ts';
import { findQuotes } from '../src/stages/quotes/index.ts';
import { loadPolnear } from '../src/eval/attribution/polnear.ts';

function measure(name: string, texts: string[]): BenchResult {
  const prepared = texts.map((text) => {
    const seg = segment(text);
    return { text, seg, entities: findEntities(text, seg.tokens) };
  });
  // Warm-up, then the best of three passes (the machine is shared).
  for (const p of prepared.slice(0, 20)) findQuotes({ text: p.text, segments: p.seg.segments, tokens: p.seg.tokens, entities: p.entities });
  let best = Infinity;
  let bestSeg = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    let t0 = performance.now();
    for (const p of prepared) findQuotes({ text: p.text, segments: p.seg.segments, tokens: p.seg.tokens, entities: p.entities });
    best = Math.min(best, performance.now() - t0);
    t0 = performance.now();
    for (const p of prepared) segment(p.text);
    bestSeg = Math.min(bestSeg, performance.now() - t0);
  }
  return {
    name: `quotes stage (${name})`,
    value: prepared.length / (best / 1000),
    unit: 'articles/s',
    baseline: { name: 'segment', value: prepared.length / (bestSeg / 1000) },
    note: `${prepared.length} articles, one core, best of 3`,
  };
}

export async function bench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  out.push(measure('synthetic', Array.from({ length: 500 }, (_, i) => syntheticArticle(i).text)));
  const dev = '../shared/corpora/polnear/dev.jsonl';
  if (existsSync(dev)) out.push(measure('PolNeAR dev', loadPolnear(dev).map((d) => d.text)));
  return out;
}

if (process.argv[1]?.endsWith('quotes.ts')) {
  for (const r of await bench()) console.log(`${r.name}: ${r.value.toFixed(0)} ${r.unit} (baseline ${r.baseline?.name} ${r.baseline?.value.toFixed(0)}) — ${r.note}`);
}
