import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from '../command.ts';
import { parse } from '../args.ts';
import { UsageError, UserError } from '../command.ts';
import { conllDocuments, runTrain, TRAIN_OPTIONS, taskDocs, usageFor, type ArticleTask } from '../../stages/frames/train-cli.ts';
import { optsFor } from '../../stages/frames/train.ts';
import { DocModel } from '../../stages/frames/docmodel.ts';
import { GenreStack } from '../../stages/genre/stack.ts';
import { crossValidateStack, STACK_FEATURE_SETS, STACK_OPTIONS, trainGenreStack } from '../../stages/genre/train.ts';

/** Chosen by cross-validation (see models/genre/MODEL_CARD.md). */
export const GENRE_TASK: ArticleTask = {
  name: 'genre',
  subtask: 1,
  out: 'models/genre/model.json',
  labels: () => ['reporting', 'opinion', 'satire'],
  options: (labels) => ({
    name: 'genre',
    version: '1',
    task: 'multiclass',
    labels,
    mode: 'per-language',
    spec: { wordNgrams: [1, 2], charNgrams: null, bits: 20 },
    minDf: 2,
    maxFeatures: 20000,
    epochs: 10,
    lr: 0.2,
    l2: 1e-3,
    seed: 1,
    balanced: false,
    posWeight: 1,
    prior: 'tuned',
    innerFolds: 4,
    style: 0,
    // English: character n-grams plus style features. Cross-validated macro-F1 is the same
    // within noise as word n-grams, but wire copy from outside the corpus is recognised as
    // reporting far more often (see models/genre/MODEL_CARD.md).
    overrides: { en: { spec: { wordNgrams: [], charNgrams: [2, 4], bits: 20 }, style: 0.3 } },
  }),
};

/** Languages that get a stack (style features over the n-gram scores); chosen by cross-validation. */
export const STACK_LANGUAGES: Record<string, string> = { en: 'en' };

const USAGE = `${usageFor(GENRE_TASK)}
For English the command also trains (or, with --cv, cross-validates next to
the n-gram model) the English style model: a logistic regression over article
style features (src/stages/genre/stack.ts; it takes the n-gram model's scores
too only when STACK_OPTIONS asks for them), written to stack-en.json beside
the model file.

  --stack-features <set>  style features of the stack: ${Object.keys(STACK_FEATURE_SETS).join(' or ')}
                          (default: the committed choice, see the model card)
`;

async function run(argv: string[], io: Parameters<Command['run']>[1]): Promise<number> {
  // --stack-features is ours; everything else goes to the shared trainer
  const i = argv.findIndex((a) => a === '--stack-features' || a.startsWith('--stack-features='));
  let setName: string | undefined;
  if (i >= 0) {
    setName = argv[i].includes('=') ? argv[i].slice(argv[i].indexOf('=') + 1) : argv[i + 1];
    argv = [...argv.slice(0, i), ...argv.slice(i + (argv[i].includes('=') ? 1 : 2))];
    if (!setName || !Object.hasOwn(STACK_FEATURE_SETS, setName)) throw new UsageError(`--stack-features: one of ${Object.keys(STACK_FEATURE_SETS).join(', ')}`);
  }
  const stackOpts = setName ? { ...STACK_OPTIONS, features: STACK_FEATURE_SETS[setName] } : STACK_OPTIONS;
  const code = await runTrain(GENRE_TASK, argv, io);
  if (code !== 0) return code;
  const { values } = parse(argv, TRAIN_OPTIONS);
  const dataDir = resolve(values.data ?? '../shared/corpora');
  const langs = values.langs ? values.langs.split(',').map((s) => s.trim()) : Object.keys(STACK_LANGUAGES);
  for (const [corpusLang, iso] of Object.entries(STACK_LANGUAGES)) {
    if (!langs.includes(corpusLang) && !langs.includes(iso)) continue;
    const t0 = Date.now();
    const { docs, labels } = taskDocs(dataDir, GENRE_TASK, [corpusLang]);
    const base = GENRE_TASK.options(labels);
    if (values.seed !== undefined) base.seed = Number(values.seed);
    const ngOpts = optsFor(base, iso);
    const log = (line: string) => io.stderr.write(line + '\n');
    if (values.cv !== undefined) {
      const k = Number(values.cv);
      const r = crossValidateStack(docs, ngOpts, labels, iso, k, stackOpts, log);
      io.stdout.write(`\ngenre ${iso}: ${k}-fold nested cross-validation on train, official macro-F1, n-gram model alone vs the style model (stack-en.json)\n\n`);
      io.stdout.write(`| ${iso} model | macro-F1 (mean ± std) | pooled | folds | ${labels.map((l) => `F1 ${l}`).join(' | ')} |\n|---|---:|---:|---|${labels.map(() => '---:').join('|')}|\n`);
      for (const [name, v] of [['n-gram', r.ngram], ['stack', r.stack]] as const) {
        io.stdout.write(`| ${name} | ${v.mean.toFixed(3)} ± ${v.std.toFixed(3)} | ${v.pooled.toFixed(3)} | ${v.folds.map((x) => x.toFixed(3)).join(' ')} | ${labels.map((l) => (v.perClass[l] ?? 0).toFixed(2)).join(' | ')} |\n`);
      }
    } else {
      const out = resolve(values.out ?? GENRE_TASK.out);
      const stack = trainGenreStack(docs, ngOpts, labels, iso, stackOpts);
      stack.meta = { trained: new Date().toISOString().slice(0, 10), data: `SemEval-2023 task 3 subtask 1, train split, ${corpusLang}`, articles: docs.length, options: stackOpts };
      const file = join(dirname(out), `stack-${iso}.json`);
      writeFileSync(file, JSON.stringify(stack) + '\n');
      io.stdout.write(`genre: wrote ${file} (${iso} stack, ${docs.length} articles, ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
      if (values['wire-check'] && iso === 'en') {
        const wireFile = resolve(values['wire-check']);
        if (!existsSync(wireFile)) throw new UserError(`no such file: ${wireFile}`);
        const model = DocModel.load(out);
        const s = new GenreStack(stack);
        const wire = conllDocuments(readFileSync(wireFile, 'utf8')).filter((t) => (t.match(/\p{L}+/gu) ?? []).length > 150);
        const counts: Record<string, number> = {};
        for (const t of wire) {
          const label = labels[s.predict(t, model).chosen[0]];
          counts[label] = (counts[label] ?? 0) + 1;
        }
        io.stdout.write(`wire check (en stack): ${wire.length} Reuters documents → ${Object.entries(counts).map(([k, v]) => `${k} ${v} (${((100 * v) / wire.length).toFixed(0)}%)`).join(', ')}\n`);
      }
    }
  }
  return 0;
}

const command: Command = {
  name: 'train-genre',
  summary: 'train the genre model (SemEval-2023 subtask 1), or cross-validate it with --cv',
  usage: USAGE,
  run,
};

export default command;
