/**
 * `npm run bench`: throughput of each part of the flow over a synthetic corpus,
 * each next to a baseline measured in the same run, then every other
 * bench/*.ts module that exports `bench()`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
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

// --through STAGE: time the core flow only up to that stage (e.g. --through entities).
const { values } = parseArgs({ options: { n: { type: 'string' }, only: { type: 'string' }, through: { type: 'string' } } });
const N = Number(values.n ?? 1000);
const here = fileURLToPath(new URL('.', import.meta.url));

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Wall and CPU milliseconds per run (CPU time is what to compare on a shared, loaded machine). */
function time(fn: () => void, minMs = 1500): { perRun: number; cpuPerRun: number; runs: number } {
  fn(); // warm-up
  let runs = 0;
  const t0 = performance.now();
  const c0 = cpuMs();
  let elapsed = 0;
  while (elapsed < minMs || runs < 2) {
    fn();
    runs++;
    elapsed = performance.now() - t0;
  }
  return { perRun: elapsed / runs, cpuPerRun: (cpuMs() - c0) / runs, runs };
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
  const rate = (ms: number) => N / (ms / 1000);
  const tokRate = rate(tok.cpuPerRun);

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
  const unit = 'articles/CPU-s';
  const note = (t: { perRun: number; cpuPerRun: number }) => `${rate(t.perRun).toFixed(0)} articles/s wall, ${((bytes / 1e6) / (t.cpuPerRun / 1000)).toFixed(1)} MB/CPU-s`;
  const baseline = { name: 'bare tokenisation', value: tokRate };
  results.push({ name: 'bare tokenisation', value: tokRate, unit, note: note(tok) });
  const seg = time(flow([]));
  results.push({ name: 'ingest→clean→segment', value: rate(seg.cpuPerRun), unit, baseline, note: note(seg) });
  const ent = named(['entities']);
  if (ent.length) {
    const t = time(flow(ent));
    results.push({ name: 'ingest→clean→segment→entities', value: rate(t.cpuPerRun), unit, baseline, note: note(t) });
  }
  // Each later stage alone (on top of the stages it requires), and the whole pipeline.
  const last = values.through ? STAGES.findIndex((s) => s.name === values.through) : STAGES.length - 1;
  for (let k = 0; k <= last; k++) {
    const stage = STAGES[k]!;
    if (stage.name === 'entities') continue;
    const t = time(flow(STAGES.slice(0, k + 1)));
    results.push({ name: `… through ${stage.name}`, value: rate(t.cpuPerRun), unit, baseline, note: note(t) });
  }
  return results;
}

/** True when dist/cli holds a bundle built from the current sources (bin/unspin.js will use it). */
function bundleFresh(): boolean {
  const root = new URL('../', import.meta.url);
  try {
    const m = JSON.parse(readFileSync(new URL('dist/cli/manifest.json', root), 'utf8')) as { inputs: Record<string, [number, number]> };
    return Object.entries(m.inputs).every(([f, [mtime, size]]) => {
      const st = statSync(new URL(f, root), { throwIfNoEntry: false });
      return !!st && st.mtimeMs === mtime && st.size === size;
    });
  } catch {
    return false;
  }
}

function coldStart(): BenchResult[] {
  const bin = fileURLToPath(new URL('../bin/unspin.js', import.meta.url));
  const example = fileURLToPath(new URL('../examples/expert-chain.txt', import.meta.url));
  const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  // Wall and CPU seconds and peak RSS of one command, from /usr/bin/time.
  const measure = (args: string[], env: Record<string, string> = {}) => {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, ...args], { encoding: 'utf8', env: { ...process.env, ...env } });
    if (r.status !== 0) throw new Error(`cold start run failed: ${r.stderr}`);
    const [wall, user, sys, rss] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    return { wall: wall! * 1000, cpu: (user! + sys!) * 1000, rss: rss! / 1024 };
  };
  const runs = (args: string[], env?: Record<string, string>) => Array.from({ length: 3 }, () => measure(args, env));
  const base = runs(['-e', '0']);
  const fresh = bundleFresh();
  const out: BenchResult[] = [];
  const report = (label: string, rs: ReturnType<typeof runs>, note?: string) => {
    out.push({ name: `cold \`unspin analyze\` ${label}`, value: med(rs.map((r) => r.wall)), unit: 'ms wall', baseline: { name: 'bare `node -e 0`', value: med(base.map((r) => r.wall)) }, note });
    out.push({ name: `  … CPU (user+sys)`, value: med(rs.map((r) => r.cpu)), unit: 'ms', baseline: { name: '`node -e 0`', value: med(base.map((r) => r.cpu)) } });
    out.push({ name: `  … peak RSS`, value: Math.max(...rs.map((r) => r.rss)), unit: 'MB' });
  };
  report(fresh ? '(bundle)' : '(no fresh bundle: tsx)', runs([bin, 'analyze', example, '--json']), fresh ? undefined : 'run `npm run build:cli` to measure the bundled CLI');
  report('(tsx, UNSPIN_NO_BUNDLE=1)', runs([bin, 'analyze', example, '--json'], { UNSPIN_NO_BUNDLE: '1' }));
  return out;
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
