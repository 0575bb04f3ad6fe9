/**
 * `npm run bench`: throughput of each part of the flow over a synthetic corpus,
 * each next to a baseline measured in the same run, then every other
 * bench/*.ts module that exports `bench()`.
 */
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { syntheticArticle } from './corpus.ts';
import type { BenchResult } from './types.ts';
import { tokenize } from '../src/segment/tokenize.ts';
import { segment } from '../src/segment/index.ts';
import { clean } from '../src/clean/index.ts';
import { fromText } from '../src/article/index.ts';
import { detectLanguage } from '../src/article/language.ts';
import { runStages } from '../src/document/runner.ts';
import { STAGES } from '../src/stages/index.ts';
import type { Stage } from '../src/document/stage.ts';

const { values } = parseArgs({ options: { n: { type: 'string' }, only: { type: 'string' } } });
const N = Number(values.n ?? 1000);
const here = fileURLToPath(new URL('.', import.meta.url));

function time(fn: () => void, minMs = 1500): { perRun: number; runs: number } {
  fn(); // warm-up
  let runs = 0;
  const t0 = performance.now();
  let elapsed = 0;
  while (elapsed < minMs || runs < 2) {
    fn();
    runs++;
    elapsed = performance.now() - t0;
  }
  return { perRun: elapsed / runs, runs };
}

function print(results: BenchResult[]): void {
  for (const r of results) {
    const base = r.baseline ? `   baseline ${r.baseline.name}: ${fmt(r.baseline.value)} ${r.unit}   ratio ${(r.value / r.baseline.value).toFixed(3)}` : '';
    console.log(`${r.name.padEnd(44)} ${fmt(r.value).padStart(10)} ${r.unit}${base}${r.note ? `   (${r.note})` : ''}`);
  }
}
const fmt = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

async function core(): Promise<BenchResult[]> {
  const articles = Array.from({ length: N }, (_, i) => syntheticArticle(i));
  const bytes = articles.reduce((n, a) => n + Buffer.byteLength(a.text), 0);
  const words = articles.reduce((n, a) => n + a.text.split(/\s+/).length, 0);
  console.log(`core: ${N} synthetic articles, ${(bytes / 1e6).toFixed(1)} MB, ${Math.round(words / N)} words each on average`);

  const tok = time(() => {
    for (const a of articles) tokenize(a.text);
  });
  const tokRate = N / (tok.perRun / 1000);

  const named = (names: string[]) => STAGES.filter((s) => names.includes(s.name));
  const flow = (stages: readonly Stage[]) => () => {
    for (const a of articles) {
      const art = fromText(a.text, { title: a.title, url: a.url, outlet: a.outlet, published: a.published });
      const c = clean(art.raw, { title: art.title });
      // As analyze() does: the language ingest detected, else detect it on the clean text.
      const language = art.language ?? detectLanguage(c.text).language;
      const { segments, tokens } = segment(c.text, { title: art.title });
      if (stages.length) {
        runStages(stages, { id: 'x', title: art.title, url: art.url, outlet: art.outlet, byline: null, published: art.published, language, text: c.text }, segments, tokens);
      }
    }
  };
  const results: BenchResult[] = [];
  const rate = (perRun: number) => N / (perRun / 1000);
  const baseline = { name: 'bare tokenisation', value: tokRate };
  results.push({ name: 'bare tokenisation', value: tokRate, unit: 'articles/s', note: `${((bytes / 1e6) / (tok.perRun / 1000)).toFixed(1)} MB/s` });
  const seg = time(flow([]));
  results.push({ name: 'ingest→clean→segment', value: rate(seg.perRun), unit: 'articles/s', baseline, note: `${((bytes / 1e6) / (seg.perRun / 1000)).toFixed(1)} MB/s` });
  const ent = named(['entities']);
  if (ent.length) {
    const t = time(flow(ent));
    results.push({ name: 'ingest→clean→segment→entities', value: rate(t.perRun), unit: 'articles/s', baseline, note: `${((bytes / 1e6) / (t.perRun / 1000)).toFixed(1)} MB/s` });
  }
  // Each later stage alone (on top of the stages it requires), and the whole pipeline.
  for (let k = 0; k < STAGES.length; k++) {
    const stage = STAGES[k]!;
    if (stage.name === 'entities') continue;
    const t = time(flow(STAGES.slice(0, k + 1)));
    results.push({ name: `… through ${stage.name}`, value: rate(t.perRun), unit: 'articles/s', baseline });
  }
  return results;
}

function coldStart(): BenchResult[] {
  const bin = fileURLToPath(new URL('../bin/unspin.js', import.meta.url));
  const example = fileURLToPath(new URL('../examples/expert-chain.txt', import.meta.url));
  const runs: number[] = [];
  let rss = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, bin, 'analyze', example, '--json'], { encoding: 'utf8' });
    runs.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`cold start run failed: ${r.stderr}`);
    rss = Math.max(rss, Number(r.stderr.trim().split('\n').pop()) / 1024);
  }
  const base: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    base.push(performance.now() - t0);
  }
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  return [
    { name: 'cold `unspin analyze` (one article)', value: med(runs), unit: 'ms', baseline: { name: 'bare `node -e 0`', value: med(base) } },
    { name: 'cold `unspin analyze` peak RSS', value: rss, unit: 'MB' },
  ];
}

const modules = readdirSync(here).filter((f) => f.endsWith('.ts') && !['run.ts', 'corpus.ts', 'types.ts', 'serve-child.ts'].includes(f) && !f.endsWith('.test.ts'));
const only = values.only;
if (!only || 'core'.includes(only)) {
  print(await core());
  print(coldStart());
}
for (const f of modules) {
  if (only && !f.includes(only)) continue;
  const mod = (await import(new URL(f, import.meta.url).href)) as { bench?: () => Promise<BenchResult[]> };
  if (typeof mod.bench !== 'function') continue;
  console.log(`\n${f.replace(/\.ts$/, '')}:`);
  print(await mod.bench());
}
