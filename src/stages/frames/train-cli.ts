/**
 * The shared body of `unspin train frames` and `unspin train genre`: load the
 * SemEval-2023 train split of every language, then either cross-validate
 * (`--cv k`, official metric per language, mean ± std over folds) or train on
 * everything and write the model file. Prints wall time and peak memory.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from '../../cli/args.ts';
import { UsageError, UserError, type CliIO } from '../../cli/command.ts';
import { loadSemeval2023, semeval2023Root, SEMEVAL2023_ISO, SEMEVAL2023_LANGUAGES } from '../../corpora/semeval2023/index.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DocModel } from './docmodel.ts';
import { crossValidate, hashDocs, trainDocModel, type DocTrainOptions, type TrainDoc } from './train.ts';

export interface ArticleTask {
  /** 'frames' (subtask 2) or 'genre' (subtask 1). */
  name: 'frames' | 'genre';
  subtask: 1 | 2;
  /** Default output path relative to the repo root. */
  out: string;
  labels: (dataDir: string) => string[];
  options: (labels: string[]) => DocTrainOptions;
}

/** Train documents of one task, ids prefixed with the corpus language code. */
export function taskDocs(dataDir: string, task: ArticleTask, corpusLangs: readonly string[]): { docs: TrainDoc[]; labels: string[] } {
  const labels = task.labels(dataDir);
  const docs: TrainDoc[] = [];
  for (const lang of corpusLangs) {
    for (const a of loadSemeval2023(dataDir, lang, { subtask: task.subtask })) {
      const names = task.subtask === 1 ? (a.genre ? [a.genre] : []) : a.frames;
      if (!names || (task.subtask === 1 && names.length !== 1)) continue;
      const y = names.map((n) => labels.indexOf(n));
      if (y.some((i) => i < 0)) throw new UserError(`article ${a.id} (${lang}) has a label outside ${task.name}'s list: ${names.join(',')}`);
      docs.push({ id: `${lang}:${a.id}`, lang: SEMEVAL2023_ISO[lang] ?? lang, text: a.text, y });
    }
  }
  return { docs, labels };
}

export function usageFor(task: ArticleTask): string {
  const metric = task.subtask === 1 ? 'macro-F1 (subtask 1)' : 'micro-F1 (subtask 2)';
  return `Usage: unspin train ${task.name} [options]

Train the ${task.name} model on the SemEval-2023 task 3 train split of every
language and write ${task.out}, or with --cv print cross-validated ${metric}
per language (nested: calibration is refitted inside every training part).

Options:
  --data <dir>      corpora folder (default ../shared/corpora)
  --langs <list>    languages, comma-separated: corpus codes or ISO codes
                    (default en,fr,ge,it,po,ru; de = ge, pl = po)
  --cv <k>          cross-validate with k folds instead of training
  --out <file>      where to write the model (default ${task.out})
  --seed <n>        random seed (default 1)
  --wire-check <f>  after training, label the documents of a CoNLL-2003 file
                    (Reuters wire, e.g. ../shared/corpora/ner/conll2003-en/eng.testa)
                    longer than 150 words and print the genre counts (an
                    out-of-domain check: all of them are wire reports)
`;
}

/** The options of `unspin train frames|genre` (genre reads them again for its English style model). */
export const TRAIN_OPTIONS = {
  data: { type: 'string' },
  langs: { type: 'string' },
  cv: { type: 'string' },
  out: { type: 'string' },
  seed: { type: 'string' },
  'wire-check': { type: 'string' },
} as const;

export async function runTrain(task: ArticleTask, argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parse(argv, TRAIN_OPTIONS);
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const dataDir = resolve(values.data ?? '../shared/corpora');
  if (!existsSync(join(semeval2023Root(dataDir), 'labels', 'frames.txt'))) {
    throw new UserError(`no SemEval-2023 task 3 corpus under ${dataDir} (expected semeval2023-task3/labels/frames.txt)`);
  }
  // corpus folder codes; ISO codes are accepted too (de → ge, pl → po)
  const fromIso = Object.fromEntries(Object.entries(SEMEVAL2023_ISO).map(([corpus, iso]) => [iso, corpus]));
  const langs = values.langs ? values.langs.split(',').map((s) => s.trim()).filter(Boolean).map((l) => fromIso[l] ?? l) : [...SEMEVAL2023_LANGUAGES];
  for (const l of langs) if (!(SEMEVAL2023_LANGUAGES as readonly string[]).includes(l)) throw new UsageError(`unknown corpus language '${l}' (known: ${SEMEVAL2023_LANGUAGES.join(', ')})`);
  const k = values.cv === undefined ? 0 : Number(values.cv);
  if (values.cv !== undefined && !(Number.isInteger(k) && k >= 2)) throw new UsageError('--cv needs an integer of at least 2');
  const t0 = Date.now();
  const { docs, labels } = taskDocs(dataDir, task, langs);
  const opts = task.options(labels);
  if (values.seed !== undefined) opts.seed = Number(values.seed);
  opts.log = (line) => io.stderr.write(line + '\n');
  io.stderr.write(`${task.name}: ${docs.length} articles (${langs.join(', ')}), mode ${opts.mode}\n`);
  const cache = hashDocs(docs, opts);

  if (k) {
    const r = crossValidate(docs, opts, k, cache);
    const metric = task.subtask === 1 ? 'macro-F1' : 'micro-F1';
    io.stdout.write(`${task.name}: ${k}-fold cross-validation on train, official ${metric} per language (mean ± std over folds; pooled = all out-of-fold predictions together)\n\n`);
    io.stdout.write(`| language | articles | ${metric} (mean ± std) | pooled |\n|---|---:|---:|---:|\n`);
    const order = ['en', 'fr', 'de', 'it', 'pl', 'ru'];
    const langsSeen = Object.keys(r.perLang).sort((a, b) => (order.indexOf(a) + 99 * +(order.indexOf(a) < 0)) - (order.indexOf(b) + 99 * +(order.indexOf(b) < 0)));
    for (const l of langsSeen) {
      const v = r.perLang[l];
      io.stdout.write(`| ${l} | ${v.n} | ${v.mean.toFixed(3)} ± ${v.std.toFixed(3)} | ${v.pooled.toFixed(3)} |\n`);
    }
    io.stdout.write(`\nPooled F1 per ${task.subtask === 1 ? 'class' : 'frame'}:\n\n| ${task.subtask === 1 ? 'class' : 'frame'} | ${langsSeen.join(' | ')} |\n|---|${langsSeen.map(() => '---:').join('|')}|\n`);
    for (const label of labels) {
      io.stdout.write(`| ${label} | ${langsSeen.map((l) => (r.perLang[l].perLabel[label] === undefined ? '–' : r.perLang[l].perLabel[label].toFixed(2))).join(' | ')} |\n`);
    }
  } else {
    const model = trainDocModel(docs, opts, cache);
    model.meta = {
      trained: new Date().toISOString().slice(0, 10),
      data: `SemEval-2023 task 3 subtask ${task.subtask}, train split, ${langs.join(',')}`,
      articles: Object.fromEntries(Object.entries(countBy(docs.map((d) => d.lang)))),
      options: { ...opts, log: undefined, labels: undefined },
    };
    const out = resolve(values.out ?? task.out);
    mkdirSync(dirname(out), { recursive: true });
    const json = JSON.stringify(model);
    writeFileSync(out, json + '\n');
    io.stdout.write(`${task.name}: wrote ${out} (${(json.length / 1024).toFixed(0)} KiB)\n`);
    if (values['wire-check']) {
      const file = resolve(values['wire-check']);
      if (!existsSync(file)) throw new UserError(`no such file: ${file}`);
      const m = new DocModel(model);
      const counts: Record<string, number> = {};
      const wire = conllDocuments(readFileSync(file, 'utf8')).filter((t) => (t.match(/\p{L}+/gu) ?? []).length > 150);
      for (const t of wire) {
        const p = m.predict(t, 'en');
        const label = m.labels[p.chosen[0]];
        counts[label] = (counts[label] ?? 0) + 1;
      }
      io.stdout.write(`wire check: ${wire.length} Reuters documents → ${Object.entries(counts).map(([k, v]) => `${k} ${v} (${((100 * v) / wire.length).toFixed(0)}%)`).join(', ')}\n`);
    }
  }
  const peak = process.resourceUsage().maxRSS / 1024;
  io.stdout.write(`\ntime ${((Date.now() - t0) / 1000).toFixed(1)} s, peak memory ${peak.toFixed(0)} MiB (max RSS)\n`);
  return 0;
}

/** Documents of a CoNLL-2003 file, detokenised (tokens joined, no space before closing punctuation). */
export function conllDocuments(content: string): string[] {
  return content
    .split(/^-DOCSTART-[^\n]*$/m)
    .map((doc) =>
      doc
        .split(/\n\s*\n/)
        .map((sent) => sent.split('\n').filter(Boolean).map((l) => l.split(' ')[0]).join(' ').replace(/ ([.,;:!?')])/g, '$1').replace(/\( /g, '('))
        .filter(Boolean)
        .join('\n\n'),
    )
    .filter((t) => t.trim().length > 0);
}

function countBy(xs: string[]): Record<string, number> {
  const m: Record<string, number> = {};
  for (const x of xs) m[x] = (m[x] ?? 0) + 1;
  return m;
}
