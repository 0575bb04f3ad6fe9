/**
 * The techniques stage: model load time and RSS growth, then throughput of
 * the stage alone (segmentation done beforehand, not timed) on the synthetic
 * corpus and, when present, on SemEval-2023 English train articles.
 * Baseline: segmentation of the same texts in the same run.
 */
import type { BenchResult } from './types.ts';
import { syntheticArticle } from './corpus.ts';
import { segment } from '../src/segment/index.ts';
import type { StageInput } from '../src/document/stage.ts';
import type { Analysis } from '../src/document/types.ts';
import { defaultCorporaDir, loadSemeval2023 } from '../src/corpora/semeval2023/index.ts';
import { techniquesModel, MODEL_PATH } from '../src/stages/techniques/model.ts';
import { runTechniques } from '../src/stages/techniques/index.ts';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

function measure(name: string, texts: string[]): BenchResult {
  const model = techniquesModel();
  const inputs: StageInput[] = texts.map((text) => {
    const { segments, tokens } = segment(text);
    return { text, language: 'en', segments, tokens, analysis: { quotes: [] } as unknown as Analysis };
  });
  for (const i of inputs.slice(0, 10)) runTechniques(i, model);
  let best = Infinity;
  let bestSeg = Infinity;
  let bestCpu = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    let t0 = performance.now();
    const c0 = process.cpuUsage().user;
    for (const i of inputs) runTechniques(i, model);
    best = Math.min(best, performance.now() - t0);
    bestCpu = Math.min(bestCpu, (process.cpuUsage().user - c0) / 1000);
    t0 = performance.now();
    for (const t of texts) segment(t);
    bestSeg = Math.min(bestSeg, performance.now() - t0);
  }
  return {
    name: `techniques stage (${name})`,
    value: inputs.length / (best / 1000),
    unit: 'articles/s',
    baseline: { name: 'segment', value: inputs.length / (bestSeg / 1000) },
    note: `${inputs.length} articles, one core, best of 3, spans + paragraph sets; ${(inputs.length / (bestCpu / 1000)).toFixed(0)} articles per CPU-second (user time, robust on a shared machine)`,
  };
}

export async function bench(): Promise<BenchResult[]> {
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  techniquesModel(MODEL_PATH);
  const loadMs = performance.now() - t0;
  const rss1 = process.memoryUsage().rss;
  const out: BenchResult[] = [
    { name: 'techniques model load', value: loadMs, unit: 'ms', note: `RSS +${((rss1 - rss0) / 1e6).toFixed(0)} MB, ${(rss1 / 1e6).toFixed(0)} MB total` },
  ];
  out.push(measure('synthetic', Array.from({ length: 300 }, (_, i) => syntheticArticle(i).text)));
  const data = defaultCorporaDir(join(fileURLToPath(import.meta.url), '..', '..'));
  if (data) out.push(measure('SemEval-2023 en train', loadSemeval2023(data, 'en').slice(0, 300).map((a) => a.text)));
  return out;
}

if (process.argv[1]?.endsWith('techniques.ts')) {
  for (const r of await bench()) {
    console.log(`${r.name}: ${r.value.toFixed(0)} ${r.unit}${r.baseline ? ` (baseline ${r.baseline.name} ${r.baseline.value.toFixed(0)})` : ''} — ${r.note ?? ''}`);
  }
}
