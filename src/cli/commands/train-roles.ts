import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';
import { saveModel } from '../../ml/model-file.ts';
import { availableLanguages, loadCorpus } from '../../corpora/semeval2025/index.ts';
import { roleExamples } from '../../stages/roles/corpus.ts';
import { crossValidateRoles, DEFAULT_ROLE_CONFIG, fitRoles, type RoleLangCv } from '../../stages/roles/train.ts';

const usage = `Usage: unspin train roles [--data DIR] [--langs BG,EN,…] [--cv K] [--out FILE] [--cv-only] [--seed N]

Trains the entity-role model (SemEval-2025 Task 10 subtask 1: main role and
fine roles of each entity mention) on every language present, and writes
models/roles/model.json.

Every run cross-validates first (K folds grouped by article, all languages
in training) and prints, per language and pooled, the official exact-match
ratio of fine-role sets (mean ± std over folds) and main-role accuracy,
beside the most-frequent-label-set baseline.

  --data DIR    corpus folder: the corpora root or its semeval2025-task10 folder
                (default ../shared/corpora/semeval2025-task10)
  --langs LIST  languages to train on (default: every folder present)
  --cv K        folds (default 5, at least 2)
  --out FILE    model file (default models/roles/model.json)
  --cv-only     print the cross-validation numbers; write nothing
  --seed N      fold and training seed (default ${DEFAULT_ROLE_CONFIG.seed})
`;

export function formatRoleCv(rows: RoleLangCv[], k: number): string {
  const f = (m: { mean: number; std: number }) => `${m.mean.toFixed(3)} ± ${m.std.toFixed(3)}`;
  return [
    `Cross-validated SemEval-2025 ST1 (${k} folds grouped by article; mean ± std over folds):`,
    '',
    '| lang | mentions | fine-role exact match | main-role accuracy | fine micro-F1 (pooled) | majority-set EMR |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.lang} | ${r.mentions} | ${f(r.emr)} | ${f(r.mainAccuracy)} | ${r.pooled.microF1.toFixed(3)} | ${r.majorityEmr.toFixed(3)} |`),
  ].join('\n') + '\n';
}

const command: Command = {
  name: 'train-roles',
  summary: 'train the entity-roles model (SemEval-2025 Task 10 subtask 1), cross-validated',
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
    const cfg = { ...DEFAULT_ROLE_CONFIG, seed: values.seed ? Number(values.seed) : DEFAULT_ROLE_CONFIG.seed };
    const t0 = Date.now();
    const { examples, skipped } = roleExamples(loadCorpus(data, langs));
    if (!examples.length) throw new UserError(`no entity mentions under ${data}`);
    io.stderr.write(`${examples.length} mentions (${langs.join(', ')})${skipped ? `, ${skipped} not located and skipped` : ''}; ${k}-fold cross-validation…\n`);
    const cv = crossValidateRoles(examples, cfg, k, (s) => io.stderr.write(`  ${s}\n`));
    io.stdout.write(formatRoleCv([...cv.perLang, cv.all], k));
    if (values['cv-only']) return 0;
    const model = fitRoles(examples, cfg);
    const out = resolve(values.out ?? 'models/roles/model.json');
    const bytes = saveModel(
      out,
      {
        name: 'roles-semeval2025',
        version: new Date().toISOString().slice(0, 10),
        trained: new Date().toISOString(),
        data: 'SemEval-2025 Task 10 subtask 1 train (' + langs.join(', ') + ')',
        mentions: examples.length,
        config: cfg,
        cv: [...cv.perLang, cv.all].map((r) => ({ lang: r.lang, mentions: r.mentions, emr: r.emr, mainAccuracy: r.mainAccuracy })),
      },
      model.toJSON(),
    );
    io.stdout.write(`\nwrote ${out} (${(bytes / 1e6).toFixed(2)} MB) in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
    return 0;
  },
};

export default command;
