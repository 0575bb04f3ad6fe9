/**
 * Exploratory cross-validation of genre decision variants (not loaded at
 * analysis time). Computes every article's style features once, then runs
 * repeated stratified k-fold CV on English (official macro-F1) for each
 * variant, with every decision-rule parameter tuned inside the training part.
 *
 *   node --import tsx src/stages/genre/explore.ts [--data ../shared/corpora] [--reps 5] [--variants a,b]
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { meanStd } from '../../ml/cv.ts';
import { taskDocs } from '../frames/train-cli.ts';
import type { TrainDoc } from '../frames/train.ts';
import { stratifiedFolds } from '../frames/train.ts';
import { GENRE_FEATURES } from './features.ts';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { optsFor } from '../frames/train.ts';
import { GENRE_TASK } from '../../cli/commands/train-genre.ts';
import { conllDocuments } from '../frames/train-cli.ts';
import { EXTRAS } from './extras.ts';
import { vectorModelDerived, addColumns, centroidDerived, COLUMNS, DERIVED, knnDerived, evaluateVariant, featureTable, labelTexts, precomputeNgram, VARIANTS, type NgCache, type Variant } from './pooled.ts';

const { values } = parseArgs({ options: { data: { type: 'string' }, reps: { type: 'string' }, variants: { type: 'string' }, k: { type: 'string' }, ngram: { type: 'string' }, cache: { type: 'string' }, wire: { type: 'string' }, extra: { type: 'string' } } });
const cacheDir = values.cache ?? '/tmp/genre';
const dataDir = resolve(values.data ?? '../shared/corpora');
const reps = Number(values.reps ?? 5);
const k = Number(values.k ?? 5);
const task = { name: 'genre' as const, subtask: 1 as const, out: '', labels: () => ['reporting', 'opinion', 'satire'], options: () => { throw new Error('unused'); } };
const { docs, labels } = taskDocs(dataDir, task, ['en', 'fr', 'ge', 'it', 'po', 'ru']);
const t0 = Date.now();
const table = featureTable(docs);
process.stderr.write(`features: ${docs.length} articles, ${GENRE_FEATURES.length} features, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
const en = docs.filter((d) => d.lang === 'en');
for (const kind of (values.extra ?? '').split(',').filter(Boolean)) {
  const ex = EXTRAS[kind];
  if (!ex) throw new Error(`unknown --extra ${kind} (${Object.keys(EXTRAS).join(', ')})`);
  const path = `${cacheDir}/extra-${kind}.json`;
  let rows: Record<string, number[]>;
  if (existsSync(path)) rows = JSON.parse(readFileSync(path, 'utf8'));
  else {
    const t2 = Date.now();
    rows = Object.fromEntries(en.map((d) => [d.id, ex.compute(d.text)]));
    writeFileSync(path, JSON.stringify(rows));
    process.stderr.write(`extra ${kind}: ${en.length} articles, ${((Date.now() - t2) / 1000).toFixed(1)} s\n`);
  }
  addColumns(table, ex.names, rows, ex.compute);
}
if (COLUMNS.includes('v_body_0')) {
  DERIVED['centroid-body'] = centroidDerived(table, 'v_body_', labels);
  DERIVED['centroid-title'] = centroidDerived(table, 'v_title_', labels);
  DERIVED['knn3-body'] = knnDerived(table, 'v_body_', labels, 3);
  DERIVED['knn3-title'] = knnDerived(table, 'v_title_', labels, 3);
  DERIVED['vecmodel-body'] = vectorModelDerived(table, ['v_body_'], labels, { l2: 3e-2, epochs: 30, folds: 4, seed: 1 });
  DERIVED['vecmodel-body-l2-1e-1'] = vectorModelDerived(table, ['v_body_'], labels, { l2: 1e-1, epochs: 30, folds: 4, seed: 1 });
}
const ngPath = (kind: string) => `${cacheDir}/ng-${kind}-k${k}-r${reps}.json`;
if (values.ngram) {
  // n-gram scores for stacking: 'char' = the committed English n-gram model, 'word' = word 1-2-grams
  const base = GENRE_TASK.options(labels);
  // 'word' drops the English override (character n-grams + style) so English gets the word 1-2-grams of the other languages
  const o = values.ngram === 'char' ? optsFor(base, 'en') : values.ngram === 'word' ? { ...base, overrides: {} } : null;
  if (!o) throw new Error('--ngram char|word');
  const c = precomputeNgram(en, k, reps, o, (s) => process.stderr.write(s + '\n'));
  writeFileSync(ngPath(values.ngram), JSON.stringify(c));
  process.exit(0);
}
const ngCaches: Record<string, NgCache> = {};
for (const kind of ['char', 'word']) if (existsSync(ngPath(kind))) ngCaches[kind] = JSON.parse(readFileSync(ngPath(kind), 'utf8'));
const names = values.variants ? values.variants.split(',') : Object.keys(VARIANTS);
for (const name of names) {
  const v: Variant | undefined = VARIANTS[name];
  if (!v) throw new Error(`unknown variant ${name}`);
  const t1 = Date.now();
  const folds: number[] = [];
  const pooled: number[] = [];
  const perClass: Record<string, number[]> = {};
  for (let r = 0; r < reps; r++) {
    const assign = stratifiedFolds(en, k, r + 1, 'multiclass');
    const res = evaluateVariant(v, docs, en, assign, k, table, labels, r + 1, ngCaches);
    folds.push(...res.folds);
    pooled.push(res.pooled);
    for (const [c, f] of Object.entries(res.perClass)) (perClass[c] ??= []).push(f);
  }
  const f = meanStd(folds);
  const p = meanStd(pooled);
  let wire = '';
  if (values.wire && !v.ngram) {
    const texts = conllDocuments(readFileSync(values.wire, 'utf8')).filter((t) => (t.match(/\p{L}+/gu) ?? []).length > 150);
    const c = labelTexts(v, docs, table, labels, texts);
    wire = ` | wire: ${labels.map((l) => `${l} ${c[l] ?? 0}`).join(', ')} of ${texts.length}`;
  }
  const pc = labels.map((c) => `${c} ${meanStd(perClass[c] ?? [0]).mean.toFixed(2)}`).join(', ');
  process.stdout.write(`${name.padEnd(24)} folds ${f.mean.toFixed(3)} ± ${f.std.toFixed(3)} | pooled per rep ${p.mean.toFixed(3)} ± ${p.std.toFixed(3)} [${pooled.map((x) => x.toFixed(3)).join(' ')}] | ${pc} | ${((Date.now() - t1) / 1000).toFixed(1)} s${wire}\n`);
}
export type { TrainDoc };
