import { existsSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';
import { readArticleDir } from '../../corpora/semeval2023/index.ts';
import {
  formatArticleLabels,
  formatParagraphLabels,
  formatSpanLabels,
  paragraphLines,
  type ArticleLabelRow,
  type ParagraphLabelRow,
  type SpanLabelRow,
} from '../../corpora/semeval2023/format.ts';
import { utf16ToCodePointMap } from '../../corpora/offsets.ts';
import { techniquesModel } from '../../stages/techniques/model.ts';
import { predictTask1 } from '../../stages/genre/semeval.ts';
import { predictTask2 } from '../../stages/frames/semeval.ts';

const usage = `Usage: unspin predict semeval2023 --task 1|2|3|3-spans --lang CODE --articles DIR --out FILE [--model FILE]

Reads article<ID>.txt files from DIR and writes SemEval-2023 Task 3 predictions.

  --task 1        ID TAB reporting|opinion|satire   (genre, models/genre/model.json)
  --task 2        ID TAB frame,frame,…              (frames, models/frames/model.json)
  --task 3        ID TAB paragraph TAB technique,technique,…  (one row per
                  non-blank line, numbered from 1 as the organisers do)
  --task 3-spans  ID TAB technique TAB start TAB end  (code-point offsets)
  --lang CODE     en, fr, ge|de, it, po|pl, ru; other languages use the
                  thresholds pooled over all training languages
  --model FILE    techniques model (default models/techniques/techniques.json;
                  subtasks 3 and 3-spans only)
`;

const command: Command = {
  name: 'predict-semeval2023',
  summary: 'write SemEval-2023 Task 3 predictions (genre, frames, techniques per paragraph or as spans) for a folder of articles',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, {
      task: { type: 'string' },
      lang: { type: 'string' },
      articles: { type: 'string' },
      out: { type: 'string' },
      model: { type: 'string' },
    });
    if (!values.task || !values.lang || !values.articles || !values.out) throw new UsageError('--task, --lang, --articles and --out are required');
    if (values.task === '1' || values.task === '2') {
      const dir = resolve(values.articles);
      if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`not a folder: ${dir}`);
      const articles = readArticleDir(dir);
      if (!articles.length) throw new UserError(`no article<ID>.txt files in ${dir}`);
      const t0 = Date.now();
      let rows: ArticleLabelRow[];
      try {
        rows = articles.map((a) => ({ article: a.id, labels: values.task === '1' ? [predictTask1(a.text, values.lang!)] : predictTask2(a.text, values.lang!) }));
      } catch (err) {
        throw new UserError((err as Error).message);
      }
      writeFileSync(resolve(values.out), formatArticleLabels(rows));
      io.stderr.write(`${articles.length} articles → ${values.out} (task ${values.task}, ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
      return 0;
    }
    if (values.task !== '3' && values.task !== '3-spans') {
      throw new UsageError(`--task ${values.task} is not predicted here (expected 1, 2, 3 or 3-spans)`);
    }
    const dir = resolve(values.articles);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`not a folder: ${dir}`);
    let model;
    try {
      model = values.model ? techniquesModel(resolve(values.model)) : techniquesModel();
    } catch (err) {
      throw new UserError((err as Error).message);
    }
    const articles = readArticleDir(dir);
    if (!articles.length) throw new UserError(`no article<ID>.txt files in ${dir}`);
    const t0 = Date.now();
    const paraRows: ParagraphLabelRow[] = [];
    const spanRows: SpanLabelRow[] = [];
    const spans = values.task === '3-spans';
    for (const a of articles) {
      const paras = paragraphLines(a.text);
      const pred = model.predict(paras, values.lang, { spans, article: a.id });
      for (const p of pred.paragraphs) paraRows.push({ article: a.id, paragraph: p.id, labels: p.techniques.map((t) => t.technique).sort() });
      if (spans) {
        const map = utf16ToCodePointMap(a.text);
        for (const s of pred.spans) {
          const base = paras[s.paragraph].start;
          spanRows.push({ article: a.id, technique: s.technique, start: map[base + s.start], end: map[base + s.end] });
        }
      }
    }
    writeFileSync(resolve(values.out), spans ? formatSpanLabels(spanRows) : formatParagraphLabels(paraRows));
    const secs = (Date.now() - t0) / 1000;
    io.stderr.write(
      `${articles.length} articles, ${spans ? `${spanRows.length} spans` : `${paraRows.length} paragraphs`} → ${values.out} (${model.id}, ${secs.toFixed(1)} s, ${(articles.length / Math.max(secs, 1e-3)).toFixed(0)} articles/s)\n`,
    );
    return 0;
  },
};

export default command;
