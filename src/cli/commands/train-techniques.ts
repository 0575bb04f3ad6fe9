import { resolve, dirname, join } from 'node:path';
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';
import { saveModel } from '../../ml/model-file.ts';
import { formatPerLabel } from '../../eval/semeval2023/index.ts';
import { SEMEVAL2023_LANGUAGES } from '../../corpora/semeval2023/index.ts';
import { formatReliability, loadCorpus, trainTechniques, type TrainReport } from '../../stages/techniques/train.ts';
import { DEFAULT_PARAGRAPH_CONFIG } from '../../stages/techniques/paragraphs.ts';
import { MODEL_PATH } from '../../stages/techniques/model.ts';

const usage = `Usage: unspin train techniques [--data DIR] [--cv K] [--langs en,fr,…] [--out FILE] [--cv-only] [--no-spans]

Trains the persuasion-technique model (SemEval-2023 Task 3 taxonomy) from the
SemEval-2023 Task 3 train splits and writes models/techniques/techniques.json
plus models/techniques/REPORT.md (cross-validated metrics, reliability table).

Every run cross-validates first (article-grouped K-fold): out-of-fold scores
give the per-language calibration and per-technique thresholds, and each
fold is scored with thresholds fit on the other folds only. Prints
micro-F1 mean ± std per language, a per-technique table, span F1 on a held-out
fold, time and peak memory.

  --data DIR    corpora folder (default ../shared/corpora)
  --cv K        folds (default 5)
  --langs LIST  training languages (default: all of en,fr,ge,it,po,ru present)
  --out FILE    model file (default models/techniques/techniques.json)
  --cv-only     print the cross-validation numbers; write nothing
  --no-spans    skip the span tagger
  --seed N      fold and training seed (default 1)
`;

function table(r: TrainReport, labels: string[]): string {
  const lines: string[] = [];
  lines.push(`Cross-validated paragraph micro-F1 (official metric), ${r.cv.k}-fold grouped by article, thresholds nested:`);
  lines.push('');
  lines.push('| language | paragraphs | micro-F1 mean ± std | folds | pooled macro-F1 |');
  lines.push('|---|---:|---:|---|---:|');
  for (const [lang, v] of Object.entries(r.cv.perLang)) {
    lines.push(`| ${lang} | ${countLang(r, lang)} | ${v.mean.toFixed(4)} ± ${v.std.toFixed(4)} | ${v.folds.map((x) => x.toFixed(3)).join(' ')} | ${v.pooled.macroF1.toFixed(4)} |`);
  }
  const en = r.cv.perLang.en ?? Object.values(r.cv.perLang)[0];
  if (en) {
    lines.push('');
    lines.push('Per technique (English, pooled over folds):');
    lines.push('');
    lines.push('```');
    lines.push(formatPerLabel(Object.fromEntries(labels.map((l) => [l, { ...en.pooled.perLabel[l], support: en.pooled.perLabel[l].tp + en.pooled.perLabel[l].fn }]))));
    lines.push('```');
  }
  lines.push('');
  lines.push(`Reliability of the calibrated paragraph confidences (English (paragraph, technique) pairs, out-of-fold, calibrated on other folds):`);
  lines.push('');
  lines.push(formatReliability(r.reliability));
  if (r.spans.tuning.length) {
    const h = r.spans.heldOut;
    lines.push('');
    lines.push(`Spans (${r.spans.heldOutLang}, fold 2 held out; tagger trained on folds 3-${r.cv.k}, cut/relative tuned on fold 1 = ${r.spans.chosen.cut}/${r.spans.chosen.relative}; paragraphs from the nested CV decisions):`);
    lines.push('');
    lines.push('| metric | precision | recall | F1 |');
    lines.push('|---|---:|---:|---:|');
    lines.push(`| span identification (SemEval-2020 SI, labels ignored) | ${h.identification.precision.toFixed(4)} | ${h.identification.recall.toFixed(4)} | ${h.identification.f1.toFixed(4)} |`);
    lines.push(`| span + technique | ${h.labelled.precision.toFixed(4)} | ${h.labelled.recall.toFixed(4)} | ${h.labelled.f1.toFixed(4)} |`);
  }
  return lines.join('\n');
}

function countLang(r: TrainReport, lang: string): number {
  const v = r.cv.perLang[lang];
  return v ? v.pooledCount ?? 0 : 0;
}

const command: Command = {
  name: 'train-techniques',
  summary: 'train the persuasion-technique model (cross-validates, calibrates, writes models/techniques)',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, {
      data: { type: 'string', default: '../shared/corpora' },
      cv: { type: 'string', default: '5' },
      langs: { type: 'string' },
      out: { type: 'string' },
      'cv-only': { type: 'boolean', default: false },
      'no-spans': { type: 'boolean', default: false },
      seed: { type: 'string', default: '1' },
    });
    const k = Number(values.cv);
    if (!Number.isInteger(k) || k < 2) throw new UsageError('--cv must be an integer ≥ 2');
    const data = resolve(values.data!);
    if (!existsSync(join(data, 'semeval2023-task3')) && !existsSync(join(data, 'labels', 'techniques.txt'))) {
      throw new UserError(`no SemEval-2023 Task 3 corpus under ${data}`);
    }
    const langs = values.langs ? values.langs.split(',') : [...SEMEVAL2023_LANGUAGES];
    const t0 = Date.now();
    const log = (s: string) => io.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(0)}s] ${s}\n`);
    const corpus = loadCorpus(data, langs);
    log(`loaded ${corpus.articles.length} articles, ${corpus.items.length} paragraphs (${langs.join(',')})`);
    const seed = Number(values.seed);
    const cfg = { ...DEFAULT_PARAGRAPH_CONFIG, train: { ...DEFAULT_PARAGRAPH_CONFIG.train, seed } };
    const report = trainTechniques(corpus, { k, seed, cfg, log, noSpans: values['no-spans'] || values['cv-only'] });
    for (const [lang, v] of Object.entries(report.cv.perLang)) v.pooledCount = corpus.items.filter((i) => i.lang === lang).length;
    const text = table(report, corpus.labels);
    io.stdout.write(text + '\n');
    const secs = (Date.now() - t0) / 1000;
    const peak = process.resourceUsage().maxRSS / 1024;
    const footer = `\ntime ${secs.toFixed(1)} s, peak memory ${peak.toFixed(0)} MB (maxRSS)`;
    io.stdout.write(footer + '\n');
    if (values['cv-only']) return 0;
    const out = resolve(values.out ?? MODEL_PATH);
    const header = {
      name: 'techniques',
      version: '1.0.0',
      trained: new Date().toISOString().slice(0, 10),
      data: `semeval2023-task3 train (${langs.join(',')}), ${corpus.items.length} paragraphs`,
      command: `unspin train techniques --data <corpora> --cv ${k}${values.langs ? ` --langs ${values.langs}` : ''}`,
      config: cfg,
    };
    const bytes = saveModel(out, header, report.body);
    writeFileSync(join(dirname(out), 'REPORT.md'), `# techniques model: training report\n\nGenerated by \`${header.command}\` on ${header.trained}.\n\n${text}\n${footer}\n`);
    io.stdout.write(`wrote ${out} (${(bytes / 1e6).toFixed(2)} MB) and REPORT.md\n`);
    return 0;
  },
};

export default command;
