/**
 * The roles stage alone (cleaning, segmentation and entities done
 * beforehand, not timed) on the synthetic corpus: the stage's fast path
 * (src/stages/roles/scorer.ts: reused buffers, word-vector ids looked up once
 * per token) against the plain path it replaced (`path: 'plain'`: a fresh
 * sparse row and Float32Array of word-vector features per mention, the full
 * decodeRoles), measured in the same run on the same articles. Both give the
 * same output to the bit (src/stages/roles tests). Articles per CPU-second
 * of this process (user + system), best of 3 after a warm-up.
 *
 *   node --import tsx bench/roles.ts [--n 300]
 *   node --import tsx bench/roles.ts --against /tmp/old   # also time the roles stage of another checkout
 *   node --import tsx bench/roles.ts --against /tmp/old --model-changed   # the same when its model differs (outputs not compared)
 *        [--rounds N]   # alternating rounds of the --against comparison (default 2; more on a busy machine)
 *
 * The plain path shares features.ts with the fast one (its per-form cache of
 * cue families and feature hashes helps both), so it is a little faster than
 * the stage was before; `--against DIR` times the stage of an older commit
 * itself (exported with `git archive <commit> src models bench package.json |
 * tar -x -C DIR`, node_modules linked in) on the same inputs, alternating.
 */
import type { BenchResult } from './types.ts';
import { syntheticArticle } from './corpus.ts';
import { analyzeText } from '../src/pipeline.ts';
import { segment } from '../src/segment/index.ts';
import { entitiesStage } from '../src/stages/entities/index.ts';
import { createRolesStage, loadRoleModel } from '../src/stages/roles/index.ts';
import type { StageInput } from '../src/document/stage.ts';
import { join } from 'node:path';
import { readdirSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function articlesPerCpuSecond(inputs: StageInput[], run: (i: StageInput) => void): number {
  for (const i of inputs.slice(0, 100)) run(i);
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t0 = cpu();
    for (const i of inputs) run(i);
    best = Math.min(best, cpu() - t0);
  }
  return inputs.length / best;
}

/** A roles stage input: the text cleaned and segmented, with the entities layer. */
function exampleInput(raw: string, title: string | null = null): StageInput {
  const analysis = analyzeText(raw, { title }, { stages: [entitiesStage] });
  const text = analysis.document.text;
  return { text, language: analysis.document.language, segments: analysis.segments, tokens: segment(text, { title: title }).tokens, analysis };
}

function syntheticInputs(n: number): StageInput[] {
  return Array.from({ length: n }, (_, i) => {
    const a = syntheticArticle(i);
    return exampleInput(a.text, a.title);
  });
}

export async function bench(n = 300): Promise<BenchResult[]> {
  if (!loadRoleModel()) return [];
  const inputs = syntheticInputs(n);
  const mentions = inputs.reduce((s, i) => s + (i.analysis.entities ?? []).reduce((t, e) => t + e.mentions.filter((m) => m.kind !== 'pronoun').length, 0), 0);
  const fast = createRolesStage();
  const plain = createRolesStage({ path: 'plain' });
  // the speed work must not change a bit of the output: check it on these articles and on examples/*.txt
  const examples = new URL('../examples/', import.meta.url);
  const checked = [...inputs, ...readdirSync(examples).filter((f) => f.endsWith('.txt')).map((f) => exampleInput(readFileSync(new URL(f, examples), 'utf8')))];
  for (const i of checked) {
    if (!isDeepStrictEqual(fast.run(i), plain.run(i))) throw new Error(`the fast and the plain roles path disagree on an article starting ${JSON.stringify(i.text.slice(0, 60))}`);
  }
  // alternate so that neither side always runs on a warmer (or busier) machine
  const before1 = articlesPerCpuSecond(inputs, (i) => plain.run(i));
  const after1 = articlesPerCpuSecond(inputs, (i) => fast.run(i));
  const before2 = articlesPerCpuSecond(inputs, (i) => plain.run(i));
  const after2 = articlesPerCpuSecond(inputs, (i) => fast.run(i));
  const before = Math.max(before1, before2);
  const after = Math.max(after1, after2);
  return [
    {
      name: 'roles stage alone (synthetic)',
      value: after,
      unit: 'articles/CPU-s',
      baseline: { name: "the plain path (path: 'plain': the per-mention code before the speed work, sharing features.ts)", value: before },
      note: `${n} articles, ${(mentions / n).toFixed(1)} scored mentions each, output identical on them and ${checked.length - n} examples/*.txt; ${((1000 / before)).toFixed(2)} → ${(1000 / after).toFixed(2)} CPU-ms/article, ${(after / before).toFixed(2)}x; best of 3, two alternating rounds`,
    },
  ];
}

async function against(dir: string, n: number, modelChanged: boolean, rounds = 2): Promise<BenchResult> {
  const other = (await import(join(dir, 'src/stages/roles/index.ts'))) as typeof import('../src/stages/roles/index.ts');
  const inputs = syntheticInputs(n);
  const old = other.createRolesStage();
  const fast = createRolesStage();
  let differ = 0;
  for (const i of inputs) {
    if (isDeepStrictEqual(fast.run(i), old.run(i))) continue;
    if (!modelChanged) throw new Error(`the roles stage of ${dir} gives another output on an article starting ${JSON.stringify(i.text.slice(0, 60))}`);
    differ++;
  }
  let before = 0;
  let after = 0;
  for (let r = 0; r < rounds; r++) {
    before = Math.max(before, articlesPerCpuSecond(inputs, (i) => old.run(i)));
    after = Math.max(after, articlesPerCpuSecond(inputs, (i) => fast.run(i)));
  }
  return {
    name: 'roles stage alone (synthetic)',
    value: after,
    unit: 'articles/CPU-s',
    baseline: { name: `the roles stage of ${dir}`, value: before },
    note: `${n} articles, ${modelChanged ? `another model: output differs on ${differ}` : 'output identical'}; ${(1000 / before).toFixed(2)} → ${(1000 / after).toFixed(2)} CPU-ms/article, ${(after / before).toFixed(2)}x; best of 3, ${rounds} alternating rounds`,
  };
}

if (process.argv[1]?.endsWith('roles.ts')) {
  const at = process.argv.indexOf('--n');
  const n = at > 0 ? Number(process.argv[at + 1]) : 300;
  const dir = process.argv.indexOf('--against');
  const results = await bench(n);
  const rounds = process.argv.indexOf('--rounds');
  if (dir > 0) results.push(await against(process.argv[dir + 1], n, process.argv.includes('--model-changed'), rounds > 0 ? Number(process.argv[rounds + 1]) : 2));
  for (const r of results) {
    console.log(`${r.name}: ${r.value.toFixed(0)} ${r.unit} (baseline ${r.baseline?.name}: ${r.baseline?.value.toFixed(0)}) — ${r.note}`);
  }
}
