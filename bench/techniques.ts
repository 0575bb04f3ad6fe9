/**
 * The techniques and frames stages: model load time and RSS, then CPU time
 * per article of each stage alone (segmentation done beforehand, not timed)
 * on synthetic articles and, when present, SemEval-2023 English train
 * articles.
 *
 * Baseline: the same two stages at an earlier revision of this repository
 * (default 7ba6f05, before the session-2 inference speed-ups), extracted with
 * `git archive` into a temporary folder and run in this process on the same
 * inputs, interleaved with the current code (best of 5 rounds each). The
 * bench also checks that both revisions give the same layers.
 * UNSPIN_BENCH_AGAINST=<rev> picks another revision; =none skips it.
 *
 *   node --import tsx bench/techniques.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './types.ts';
import { syntheticArticle } from './corpus.ts';
import { segment } from '../src/segment/index.ts';
import type { Stage, StageInput, StageOutput } from '../src/document/stage.ts';
import type { Analysis } from '../src/document/types.ts';
import { defaultCorporaDir, loadSemeval2023 } from '../src/corpora/semeval2023/index.ts';

const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const DEFAULT_AGAINST = '7ba6f05';

/** The two stages of one revision, with their models loaded. */
interface Side {
  name: string;
  techniques: (input: StageInput) => StageOutput;
  frames: Stage;
  loadMs: number;
  rssMb: number;
}

/** Loads the techniques and frames stages (and their models) from a source tree. */
async function loadSide(name: string, root: string): Promise<Side> {
  const url = (p: string) => pathToFileURL(join(root, p)).href;
  const tech = await import(url('src/stages/techniques/index.ts'));
  const techModel = await import(url('src/stages/techniques/model.ts'));
  const frames = await import(url('src/stages/frames/index.ts'));
  const docmodel = await import(url('src/stages/frames/docmodel.ts'));
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  const tm = techModel.techniquesModel(join(root, 'models/techniques/techniques.json'));
  const fm = docmodel.DocModel.load(join(root, 'models/frames/model.json'));
  fm.predict('The council met on Tuesday.', 'en');
  const loadMs = performance.now() - t0;
  const rssMb = (process.memoryUsage().rss - rss0) / 1e6;
  return { name, techniques: (input) => tech.runTechniques(input, tm), frames: frames.createFramesStage(() => fm), loadMs, rssMb };
}

/** The earlier revision's tree in a temporary folder, or null (no git, unknown revision). */
function extract(rev: string): string | null {
  try {
    const tar = execFileSync('git', ['-C', ROOT, 'archive', rev, 'package.json', 'src', 'models/techniques', 'models/frames'], {
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const dir = mkdtempSync(join(tmpdir(), 'unspin-bench-'));
    execFileSync('tar', ['-x', '-C', dir], { input: tar });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    return dir;
  } catch {
    return null;
  }
}

function inputs(texts: string[]): StageInput[] {
  return texts.map((text) => {
    const { segments, tokens } = segment(text);
    return { text, language: 'en', segments, tokens, analysis: { quotes: [] } as unknown as Analysis };
  });
}

/** CPU milliseconds (user + system) per article of `run` over `ins`. */
function cpuPerArticle(run: (i: StageInput) => unknown, ins: StageInput[]): number {
  const c0 = process.cpuUsage();
  for (const i of ins) run(i);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / ins.length;
}

function measure(corpus: string, ins: StageInput[], now: Side, before: Side | null): BenchResult[] {
  const sides = before ? [now, before] : [now];
  const stages = { techniques: (s: Side) => s.techniques, frames: (s: Side) => (i: StageInput) => s.frames.run(i) } as const;
  // identical layers, and warm-up
  let differ = 0;
  for (const i of ins) {
    const out = sides.map((s) => JSON.stringify([s.techniques(i).layers, s.frames.run(i).layers]));
    if (before && out[0] !== out[1]) differ++;
  }
  const best = new Map<string, number>();
  for (let round = 0; round < 5; round++) {
    for (const [stage, pick] of Object.entries(stages)) {
      for (const s of sides) {
        const ms = cpuPerArticle(pick(s), ins);
        const key = `${stage}/${s.name}`;
        best.set(key, Math.min(best.get(key) ?? Infinity, ms));
      }
    }
  }
  return Object.keys(stages).map((stage) => {
    const ms = best.get(`${stage}/${now.name}`)!;
    const old = before ? best.get(`${stage}/${before.name}`)! : null;
    return {
      name: `${stage} stage (${corpus})`,
      value: 1000 / ms,
      unit: 'articles per CPU-second',
      baseline: old === null ? undefined : { name: `${before!.name}`, value: 1000 / old },
      note:
        `${ins.length} articles, stage alone, best of 5 rounds: ${ms.toFixed(3)} ms/article` +
        (old === null ? '' : ` vs ${old.toFixed(3)} (×${(old / ms).toFixed(2)}); layers identical on ${ins.length - differ}/${ins.length} articles`),
    };
  });
}

export async function bench(): Promise<BenchResult[]> {
  const now = await loadSide('now', ROOT);
  const rev = process.env.UNSPIN_BENCH_AGAINST ?? DEFAULT_AGAINST;
  const dir = rev === 'none' ? null : extract(rev);
  let before: Side | null = null;
  if (dir) {
    try {
      before = await loadSide(`at ${rev}`, dir);
    } catch (e) {
      console.error(`bench/techniques: could not load the stages at ${rev} (${(e as Error).message}); no baseline`);
    }
  }
  const out: BenchResult[] = [
    {
      name: 'techniques + frames model load',
      value: now.loadMs,
      unit: 'ms',
      baseline: before ? { name: before.name, value: before.loadMs } : undefined,
      note: `RSS +${now.rssMb.toFixed(0)} MB` + (before ? ` (at ${rev}: +${before.rssMb.toFixed(0)} MB, loaded second)` : '') + (before || rev === 'none' ? '' : `; revision ${rev} not available, no baseline`),
    },
  ];
  out.push(...measure('synthetic', inputs(Array.from({ length: 200 }, (_, i) => syntheticArticle(i).text)), now, before));
  const data = defaultCorporaDir(ROOT);
  if (data) out.push(...measure('SemEval-2023 en train', inputs(loadSemeval2023(data, 'en').slice(0, 200).map((a) => a.text)), now, before));
  if (dir) rmSync(dir, { recursive: true, force: true });
  return out;
}

if (process.argv[1]?.endsWith('techniques.ts')) {
  for (const r of await bench()) {
    console.log(`${r.name}: ${r.value.toFixed(0)} ${r.unit}${r.baseline ? ` (baseline ${r.baseline.name} ${r.baseline.value.toFixed(0)})` : ''} — ${r.note ?? ''}`);
  }
}
