/**
 * The entities stage alone (segmentation done beforehand, not timed) on the
 * synthetic corpus, with segmentation of the same texts as the baseline; and
 * the NER tagger alone in tokens/s on CoNLL-2003 eng.testa when the corpora
 * are present (first pass with a cold word cache, then the best warm pass).
 */
import { existsSync } from 'node:fs';
import type { BenchResult } from './types.ts';
import { syntheticArticle } from './corpus.ts';
import { segment } from '../src/segment/index.ts';
import { findEntities } from '../src/stages/entities/index.ts';
import { nerModel } from '../src/models/ner/index.ts';
import { readConll } from '../src/models/ner/conll.ts';

export async function bench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  const texts = Array.from({ length: 300 }, (_, i) => syntheticArticle(i).text);
  const prepared = texts.map((text) => ({ text, tokens: segment(text).tokens }));
  for (const p of prepared.slice(0, 20)) findEntities(p.text, p.tokens);
  let best = Infinity;
  let bestSeg = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    let t0 = performance.now();
    for (const p of prepared) findEntities(p.text, p.tokens);
    best = Math.min(best, performance.now() - t0);
    t0 = performance.now();
    for (const p of prepared) segment(p.text);
    bestSeg = Math.min(bestSeg, performance.now() - t0);
  }
  const rate = (ms: number) => (prepared.length / ms) * 1000;
  out.push({ name: 'entities stage (synthetic)', value: rate(best), unit: 'articles/s', baseline: { name: 'segment', value: rate(bestSeg) } });

  const testa = new URL('../../shared/corpora/ner/conll2003-en/eng.testa', import.meta.url).pathname;
  if (existsSync(testa)) {
    const sents = readConll(testa).flat().map((s) => s.words);
    const n = sents.reduce((a, s) => a + s.length, 0);
    const m = nerModel();
    let t0 = performance.now();
    for (const s of sents) m.tagIndices(s);
    const cold = (n / (performance.now() - t0)) * 1000;
    let warm = 0;
    for (let rep = 0; rep < 3; rep++) {
      t0 = performance.now();
      for (const s of sents) m.tagIndices(s);
      warm = Math.max(warm, (n / (performance.now() - t0)) * 1000);
    }
    out.push({ name: 'NER tagger, CoNLL testa (warm word cache)', value: warm, unit: 'tokens/s', note: `first pass (cold cache) ${cold.toFixed(0)} tokens/s` });
  } else {
    out.push({ name: 'NER tagger, CoNLL testa', value: 0, unit: 'tokens/s', note: 'skipped: ../shared/corpora absent' });
  }
  return out;
}
