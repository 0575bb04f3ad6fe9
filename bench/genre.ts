/**
 * The genre stage alone (segmentation done beforehand, not timed): the
 * committed path against the path before the speed work, measured in the
 * same run on the same articles. The old path is the n-gram model's
 * `predict` plus its `contributions` for the evidence, stacked where the
 * stack takes n-gram scores; the new path is the stage itself (a style-only
 * English stack with style-feature evidence, one-pass n-gram scoring where
 * the n-gram model still decides). CPU time, so the ratio holds on a shared
 * machine.
 *
 *   node --import tsx bench/genre.ts
 *   node --import tsx bench/genre.ts --against /tmp/old   # also time the stage of another checkout
 *
 * `--against DIR` loads `DIR/src/stages/genre/index.ts` (e.g. an older commit
 * exported with `git archive <commit> src models bench | tar -x -C DIR`, with
 * node_modules linked in) and times its stage on the same inputs.
 */
import type { BenchResult } from './types.ts';
import { syntheticArticle } from './corpus.ts';
import { segment } from '../src/segment/index.ts';
import type { StageInput } from '../src/document/stage.ts';
import type { Analysis } from '../src/document/types.ts';
import { defaultCorporaDir, loadSemeval2023 } from '../src/corpora/semeval2023/index.ts';
import { createGenreStage, genreModel, genreStack } from '../src/stages/genre/index.ts';
import { evidenceUnits } from '../src/stages/frames/evidence.ts';
import { decide } from '../src/stages/frames/docmodel.ts';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

function cpuMsPerArticle(inputs: StageInput[], run: (i: StageInput) => void): number {
  for (const i of inputs.slice(0, 20)) run(i);
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const c0 = process.cpuUsage().user;
    for (const i of inputs) run(i);
    best = Math.min(best, (process.cpuUsage().user - c0) / 1000);
  }
  return best / inputs.length;
}

async function measureAgainst(dir: string, name: string, texts: string[]): Promise<BenchResult> {
  const other = (await import(join(dir, 'src/stages/genre/index.ts'))) as typeof import('../src/stages/genre/index.ts');
  const otherSegment = ((await import(join(dir, 'src/segment/index.ts'))) as typeof import('../src/segment/index.ts')).segment;
  const mk = (seg: typeof segment) => texts.map((text): StageInput => {
    const { segments, tokens } = seg(text);
    return { text, language: 'en', segments, tokens, analysis: {} as unknown as Analysis };
  });
  const oldStage = other.createGenreStage();
  const newStage = createGenreStage();
  const oldMs = cpuMsPerArticle(mk(otherSegment), (i) => oldStage.run(i));
  const newMs = cpuMsPerArticle(mk(segment), (i) => newStage.run(i));
  return {
    name: `genre stage (${name})`,
    value: newMs,
    unit: 'ms/article (CPU)',
    baseline: { name: `the stage of ${dir}`, value: oldMs },
    note: `${texts.length} English articles, best of 3, user CPU time; ${(oldMs / newMs).toFixed(1)}x`,
  };
}

function measure(name: string, texts: string[]): BenchResult {
  const model = genreModel();
  const stack = genreStack();
  const stage = createGenreStage();
  const inputs: StageInput[] = texts.map((text) => {
    const { segments, tokens } = segment(text);
    return { text, language: 'en', segments, tokens, analysis: {} as unknown as Analysis };
  });
  // before: n-gram predict (+ the stack over its scores) and DocModel.contributions for the evidence
  const old = (i: StageInput) => {
    const scores = model.predict(i.text, 'en').scores;
    const pred = stack ? decide('multiclass', stack.scores(i.text, stack.usesNgram ? scores : undefined), { submodel: 'stack', ...stack.json.calibration }) : model.predict(i.text, 'en');
    model.contributions(i.text, 'en', evidenceUnits(i.segments, i.text), [pred.chosen[0]]);
  };
  const oldMs = cpuMsPerArticle(inputs, old);
  const newMs = cpuMsPerArticle(inputs, (i) => stage.run(i));
  return {
    name: `genre stage (${name})`,
    value: newMs,
    unit: 'ms/article (CPU)',
    baseline: { name: 'n-gram predict + DocModel.contributions (the path before)', value: oldMs },
    note: `${inputs.length} English articles, best of 3, user CPU time; ${(oldMs / newMs).toFixed(1)}x`,
  };
}

export async function bench(): Promise<BenchResult[]> {
  const out = [measure('synthetic', Array.from({ length: 300 }, (_, i) => syntheticArticle(i).text))];
  const data = defaultCorporaDir(join(fileURLToPath(import.meta.url), '..', '..'));
  if (data) out.push(measure('SemEval-2023 en train', loadSemeval2023(data, 'en').slice(0, 300).map((a) => a.text)));
  return out;
}

if (process.argv[1]?.endsWith('genre.ts')) {
  const at = process.argv.indexOf('--against');
  const results = await bench();
  if (at > 0) {
    const dir = process.argv[at + 1];
    results.push(await measureAgainst(dir, 'synthetic', Array.from({ length: 300 }, (_, i) => syntheticArticle(i).text)));
    const data = defaultCorporaDir(join(fileURLToPath(import.meta.url), '..', '..'));
    if (data) results.push(await measureAgainst(dir, 'SemEval-2023 en train', loadSemeval2023(data, 'en').slice(0, 300).map((a) => a.text)));
  }
  for (const r of results) {
    console.log(`${r.name}: ${r.value.toFixed(3)} ${r.unit}${r.baseline ? ` (baseline ${r.baseline.name}: ${r.baseline.value.toFixed(3)})` : ''} — ${r.note ?? ''}`);
  }
}
