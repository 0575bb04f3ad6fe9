import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';
import { saveModel } from '../../ml/model-file.ts';
import { availableLanguages, loadCorpus } from '../../corpora/semeval2025/index.ts';
import { attachExplanations, crossValidate, DEFAULT_CONFIG, fitModel, tuneDecoding, type LangCv, type NarrDoc } from '../../stages/narratives/train.ts';
import { LabelIndex, modelLabels, type Thresholds } from '../../stages/narratives/model.ts';

const usage = `Usage: unspin train narratives [--data DIR] [--langs BG,EN,…] [--cv K] [--out FILE] [--cv-only] [--seed N]

Trains the narrative classifier (SemEval-2025 Task 10 subtask 2: narratives
and subnarratives of the Ukraine–Russia war and climate change taxonomies)
on every language present, and writes models/narratives/model.json.

Every run cross-validates first (K folds over all documents, all languages
in training). For each language and fold the decoding thresholds are tuned
on the other folds' out-of-fold probabilities only. Prints, per language,
narrative (coarse) and subnarrative (fine) F1 — the official per-document
F1 averaged over documents — as mean ± std over folds, overall and on the
documents whose gold is not Other, beside the all-Other baseline. The
shipped thresholds are tuned on all out-of-fold probabilities of each
language.

Training reads the subtask-3 annotations beside the subtask-2 ones
(<LANG>/subtask-3-annotations.txt) for the languages the configuration names
(BG, HI, PT, RU): each training document's explanation becomes an extra
short training row labelled with its dominant narrative and subnarrative.
The explanation text is not stored in the model.

  --data DIR    corpus folder: the corpora root or its semeval2025-task10 folder
                (default ../shared/corpora/semeval2025-task10)
  --langs LIST  languages to train on (default: every folder present)
  --cv K        folds (default 5, at least 2)
  --out FILE    model file (default models/narratives/model.json)
  --cv-only     print the cross-validation numbers; write nothing
  --seed N      fold and training seed (default ${DEFAULT_CONFIG.seed})
`;

export function formatNarrativeCv(perLang: LangCv[], k: number): string {
  const f = (m: { mean: number; std: number }) => `${m.mean.toFixed(3)} ± ${m.std.toFixed(3)}`;
  const lines = [
    `Cross-validated SemEval-2025 ST2 (official per-document F1, mean ± std over ${k} folds; thresholds tuned on the other folds):`,
    '',
    '| lang | docs | narratives F1 | subnarratives F1 | narratives F1 (narrative-bearing) | subnarratives F1 (narrative-bearing) | all-Other baseline |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...perLang.map((l) => `| ${l.lang} | ${l.docs} | ${f(l.coarse)} | ${f(l.fine)} | ${f(l.coarseNarr)} | ${f(l.fineNarr)} | ${l.allOther.toFixed(3)} |`),
  ];
  return lines.join('\n') + '\n';
}

const command: Command = {
  name: 'train-narratives',
  summary: 'train the narratives model (SemEval-2025 Task 10 subtask 2), cross-validated',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, {
      data: { type: 'string' },
      langs: { type: 'string' },
      cv: { type: 'string' },
      out: { type: 'string' },
      'cv-only': { type: 'boolean' },
      seed: { type: 'string' },
    });
    // Accept the corpora root as well as the task folder itself.
    let data = resolve(values.data ?? '../shared/corpora/semeval2025-task10');
    if (existsSync(join(data, 'semeval2025-task10'))) data = join(data, 'semeval2025-task10');
    if (!existsSync(data)) throw new UserError(`corpus folder not found: ${data}`);
    const k = Number(values.cv ?? 5);
    if (!Number.isInteger(k) || k < 2) throw new UsageError('--cv must be an integer ≥ 2');
    const langs = values.langs ? values.langs.split(',').map((s) => s.trim().toUpperCase()) : availableLanguages(data);
    const cfg = { ...DEFAULT_CONFIG, seed: values.seed ? Number(values.seed) : DEFAULT_CONFIG.seed };
    const t0 = Date.now();
    const docs: NarrDoc[] = [];
    for (const l of loadCorpus(data, langs)) {
      const labels = new Map(l.narratives.map((n) => [n.docId, n]));
      for (const d of l.documents) {
        const n = labels.get(d.id);
        if (n) docs.push({ id: d.id, lang: l.lang, text: d.text, narratives: n.narratives, subnarratives: n.subnarratives });
      }
    }
    if (!docs.length) throw new UserError(`no labelled documents under ${data}`);
    // subtask-3 explanations as extra training rows (read here, never stored in the model)
    if (cfg.explanationWeight) {
      const n = attachExplanations(docs, data, cfg.explanationLangs);
      io.stderr.write(`${n} subtask-3 explanations as training rows (${cfg.explanationLangs?.join(', ') ?? 'every language'})\n`);
    }
    io.stderr.write(`${docs.length} documents (${langs.join(', ')}); ${k}-fold cross-validation…\n`);
    const cv = crossValidate(docs, cfg, k, (s) => io.stderr.write(`  ${s} [${((Date.now() - t0) / 1000).toFixed(0)} s]\n`));
    io.stdout.write(formatNarrativeCv(cv.perLang, k));
    if (values['cv-only']) return 0;
    const thresholds: Record<string, Thresholds> = {};
    for (const l of cv.perLang) thresholds[l.lang] = l.thresholds;
    const extra = cfg.ef1Extra?.length && cv.extras ? { docs: cv.extras, features: cfg.ef1Extra } : undefined;
    thresholds.default = tuneDecoding(cv.oof, docs, new LabelIndex(modelLabels()), undefined, undefined, extra);
    io.stderr.write('training on all documents…\n');
    const model = fitModel(docs, cfg, thresholds);
    const out = resolve(values.out ?? 'models/narratives/model.json');
    const bytes = saveModel(
      out,
      {
        name: 'narratives-semeval2025',
        version: new Date().toISOString().slice(0, 10),
        trained: new Date().toISOString(),
        data: 'SemEval-2025 Task 10 subtask 2 train (' + langs.join(', ') + ')',
        documents: docs.length,
        config: cfg,
        cv: cv.perLang.map((l) => ({ lang: l.lang, docs: l.docs, coarse: l.coarse, fine: l.fine, coarseNarr: l.coarseNarr, fineNarr: l.fineNarr, allOther: l.allOther })),
      },
      model.toJSON(),
    );
    io.stdout.write(`\nthresholds: ${JSON.stringify(thresholds)}\nwrote ${out} (${(bytes / 1e6).toFixed(2)} MB) in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    return 0;
  },
};

export default command;
