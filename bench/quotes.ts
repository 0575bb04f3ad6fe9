/**
 * Throughput of the quotes stage alone (segmentation and entities are done
 * beforehand and not timed), on the synthetic corpus and, when present, on
 * PolNeAR dev texts, in the default mode (rules + trained tagger) and with
 * the rules alone. Baseline: segmentation of the same texts in the same run.
 *
 * Articles per CPU-second of this process (user + system time), so that the
 * figure means "per core" even on a shared machine; wall-clock numbers on a
 * busy machine are much lower.
 */
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { decodeModel, setTagger } from '../src/stages/quotes/tagger/model.ts';
import type { BenchResult } from './types.ts';
import { syntheticArticle } from './corpus.ts';
import { segment } from '../src/segment/index.ts';
import { findEntities } from '../src/stages/entities/index.ts';
import { findQuotes } from '../src/stages/quotes/index.ts';
import { loadPolnear } from '../src/eval/attribution/polnear.ts';

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function measure(name: string, texts: string[]): BenchResult[] {
  const prepared = texts.map((text) => {
    const seg = segment(text);
    let entities: ReturnType<typeof findEntities> = [];
    try {
      entities = findEntities(text, seg.tokens);
    } catch {
      entities = [];
    }
    return { text, seg, entities };
  });
  const run = (mode: 'rules' | undefined) => {
    for (const p of prepared) findQuotes({ text: p.text, segments: p.seg.segments, tokens: p.seg.tokens, entities: p.entities, mode });
  };
  run(undefined); // warm-up, loads the model
  const best = (f: () => void) => {
    let b = Infinity;
    for (let rep = 0; rep < 3; rep++) {
      const t0 = cpu();
      f();
      b = Math.min(b, cpu() - t0);
    }
    return prepared.length / b;
  };
  const seg = best(() => {
    for (const p of prepared) segment(p.text);
  });
  const note = `${prepared.length} articles, articles per CPU-second, best of 3`;
  return [
    { name: `quotes stage, default mode (${name})`, value: best(() => run(undefined)), unit: 'articles/s', baseline: { name: 'segment', value: seg }, note },
    { name: `quotes stage, rules only (${name})`, value: best(() => run('rules')), unit: 'articles/s', baseline: { name: 'segment', value: seg }, note },
  ];
}

export async function bench(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  out.push(...measure('synthetic', Array.from({ length: 300 }, (_, i) => syntheticArticle(i).text)));
  const dev = '../shared/corpora/polnear/dev.jsonl';
  if (existsSync(dev)) out.push(...measure('PolNeAR dev', loadPolnear(dev).map((d) => d.text)));
  return out;
}

if (process.argv[1]?.endsWith('quotes.ts')) {
  // --model FILE [FILE …]: time these tagger files (gzipped or not) in turn instead of the committed one.
  const i = process.argv.indexOf('--model');
  const files = i > 0 ? process.argv.slice(i + 1) : [];
  for (const f of files) {
    const buf = readFileSync(f);
    setTagger(decodeModel(f.endsWith('.gz') ? gunzipSync(buf) : buf));
    console.log(`model ${f}`);
    for (const r of await bench()) console.log(`${r.name}: ${r.value.toFixed(0)} ${r.unit} (baseline ${r.baseline?.name} ${r.baseline?.value.toFixed(0)}) — ${r.note}`);
  }
  if (!files.length) for (const r of await bench()) console.log(`${r.name}: ${r.value.toFixed(0)} ${r.unit} (baseline ${r.baseline?.name} ${r.baseline?.value.toFixed(0)}) — ${r.note}`);
}
