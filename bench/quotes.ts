/**
 * Throughput of the quotes stage alone (segmentation and entities are done
 * beforehand and not timed), on the synthetic corpus and, when present, on
 * PolNeAR dev texts, in the default mode (rules + trained tagger) and with
 * the rules alone. Baseline: segmentation of the same texts in the same run.
 *
 * Articles per CPU-second of this process (user + system time), so that the
 * figure means "per core" even on a shared machine; wall-clock numbers on a
 * busy machine are much lower.
 *
 *   node --import tsx bench/quotes.ts                          the committed model
 *   node --import tsx bench/quotes.ts --model FILE [FILE …]    these tagger files in turn
 *   node --import tsx bench/quotes.ts --ab [--rounds N] SRC:FILE SRC:FILE …
 *       code against code in one process (SRC: `main` or another checkout's src/ folder)
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

/** Segmentation and entities done beforehand, so that only the quotes stage is timed. */
function prepare(texts: string[]) {
  return texts.map((text) => {
    const seg = segment(text);
    let entities: ReturnType<typeof findEntities> = [];
    try {
      entities = findEntities(text, seg.tokens);
    } catch {
      entities = [];
    }
    return { text, seg, entities };
  });
}

function measure(name: string, texts: string[]): BenchResult[] {
  const prepared = prepare(texts);
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

/**
 * Code against code: each arm is SRC:MODEL, SRC a src/ folder (`main` for this tree's; another
 * checkout's, e.g. `git archive <commit> src | tar -x -C /tmp/old` gives /tmp/old/src) and MODEL a
 * tagger file. All arms run in one process, in alternating rounds; prints each arm's articles per
 * CPU-second (default mode, best of 3 per round) on the synthetic articles and PolNeAR dev.
 */
async function codeAgainstCode(arms: string[], rounds: number): Promise<void> {
  const prep = prepare;
  const sets: [string, ReturnType<typeof prep>][] = [['synthetic', prep(Array.from({ length: 300 }, (_, i) => syntheticArticle(i).text))]];
  const dev = '../shared/corpora/polnear/dev.jsonl';
  if (existsSync(dev)) sets.push(['PolNeAR dev', prep(loadPolnear(dev).map((d) => d.text))]);
  const loaded = [];
  for (const arm of arms) {
    const at = arm.lastIndexOf(':');
    const [src, f] = [arm.slice(0, at), arm.slice(at + 1)];
    const root = src === 'main' ? new URL('../src/', import.meta.url).href : new URL(`file://${src.startsWith('/') ? '' : process.cwd() + '/'}${src}/`).href;
    const M = await import(root + 'stages/quotes/tagger/model.ts');
    const Q = await import(root + 'stages/quotes/index.ts');
    const buf = readFileSync(f);
    loaded.push({ arm, M, Q, model: M.decodeModel(f.endsWith('.gz') ? gunzipSync(buf) : buf) });
  }
  const res = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    for (const a of loaded) {
      a.M.setTagger(a.model);
      for (const [name, ps] of sets) {
        const run = () => {
          for (const p of ps) a.Q.findQuotes({ text: p.text, segments: p.seg.segments, tokens: p.seg.tokens, entities: p.entities });
        };
        run();
        let b = Infinity;
        for (let r = 0; r < 3; r++) {
          const t0 = cpu();
          run();
          b = Math.min(b, cpu() - t0);
        }
        const key = `${a.arm} (${name})`;
        res.set(key, [...(res.get(key) ?? []), Math.round(ps.length / b)]);
      }
    }
  }
  for (const [k, v] of res) {
    const sorted = [...v].sort((x, y) => x - y);
    console.log(`${k}: ${v.join(' · ')} articles/CPU-s, median ${sorted[sorted.length >> 1]}`);
  }
}

if (process.argv[1]?.endsWith('quotes.ts') && process.argv.includes('--ab')) {
  // --ab [--rounds N] SRC:MODEL SRC:MODEL …
  const args = process.argv.slice(process.argv.indexOf('--ab') + 1);
  const r = args.indexOf('--rounds');
  const rounds = r >= 0 ? Number(args[r + 1]) : 4;
  await codeAgainstCode(args.filter((_, i) => i !== r && i !== r + 1), rounds);
} else if (process.argv[1]?.endsWith('quotes.ts')) {
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
