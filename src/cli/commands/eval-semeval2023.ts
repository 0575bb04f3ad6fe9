import { readFileSync, existsSync } from 'node:fs';
import { resolve, join } from 'node:path';
import type { Command } from '../command.ts';
import { UsageError, UserError } from '../command.ts';
import { parse } from '../args.ts';
import {
  parseArticleLabels,
  parseParagraphLabels,
  parseSpanLabels,
} from '../../corpora/semeval2023/format.ts';
import { formatPerLabel, FormatError, scoreSpans, scoreTask1, scoreTask2, scoreTask3 } from '../../eval/semeval2023/index.ts';

const usage = `Usage: unspin eval semeval2023 --task 1|2|3|3-spans --gold FILE --pred FILE [--labels FILE] [--data DIR]

Scores a prediction file against gold with the official SemEval-2023 Task 3 metrics.

  --task 1        genre: macro-F1 over classes in gold or predictions (official), micro-F1
  --task 2        frames: micro-F1 over (article, frame) pairs (official), macro-F1
  --task 3        techniques per paragraph: micro-F1 over (paragraph, technique) pairs
                  (official), macro-F1, per-technique table
  --task 3-spans  technique spans (ID TAB technique TAB start TAB end, code points):
                  SemEval-2020 Task 11 span identification (character-overlap
                  precision/recall/F1, labels ignored) and the same with labels matched
  --labels FILE   label list (one per line); default: the taxonomy under
                  --data (semeval2023-task3/labels/{frames,techniques}.txt)
  --data DIR      corpora folder (default ../shared/corpora)
  --json          print the scores as JSON
`;

function read(path: string, what: string): string {
  if (!existsSync(path)) throw new UserError(`${what} file not found: ${path}`);
  return readFileSync(path, 'utf8');
}

function labelList(values: { labels?: string; data?: string }, kind: 'frames' | 'techniques'): string[] {
  const file = values.labels ?? join(resolve(values.data ?? '../shared/corpora'), 'semeval2023-task3', 'labels', `${kind}.txt`);
  return read(file, 'label list').split('\n').map((l) => l.trim()).filter(Boolean);
}

const f = (x: number) => x.toFixed(5);

const command: Command = {
  name: 'eval-semeval2023',
  summary: 'score SemEval-2023 Task 3 predictions (subtasks 1, 2, 3, spans) with the official metrics',
  usage,
  async run(argv, io) {
    const { values } = parse(argv, {
      task: { type: 'string' },
      gold: { type: 'string' },
      pred: { type: 'string' },
      labels: { type: 'string' },
      data: { type: 'string', default: '../shared/corpora' },
      json: { type: 'boolean', default: false },
    });
    if (!values.task || !values.gold || !values.pred) throw new UsageError('--task, --gold and --pred are required');
    const gold = read(resolve(values.gold), 'gold');
    const pred = read(resolve(values.pred), 'prediction');
    const out = (obj: unknown, text: string) => io.stdout.write(values.json ? JSON.stringify(obj, null, 2) + '\n' : text + '\n');
    try {
      switch (values.task) {
        case '1': {
          const s = scoreTask1(parseArticleLabels(gold), parseArticleLabels(pred));
          out(s, `articles ${s.items}\nmacro-F1=${f(s.macroF1)}\tmicro-F1=${f(s.microF1)}\n\n${formatPerLabel(s.perClass)}`);
          return 0;
        }
        case '2': {
          const s = scoreTask2(parseArticleLabels(gold), parseArticleLabels(pred), labelList(values, 'frames'));
          out(s, `articles ${s.items}\nmicro-F1=${f(s.microF1)}\tmacro-F1=${f(s.macroF1)}\n\n${formatPerLabel(s.perLabel)}`);
          return 0;
        }
        case '3': {
          const s = scoreTask3(parseParagraphLabels(gold, { fixLabels: true }), parseParagraphLabels(pred), labelList(values, 'techniques'));
          out(s, `paragraphs ${s.items}\nmicro-F1=${f(s.microF1)}\tmacro-F1=${f(s.macroF1)}\n\n${formatPerLabel(s.perLabel)}`);
          return 0;
        }
        case '3-spans': {
          const g = parseSpanLabels(gold, { fixLabels: true });
          const s = scoreSpans(g, parseSpanLabels(pred), { classes: labelList(values, 'techniques') });
          const line = (n: string, x: { precision: number; recall: number; f1: number; predSpans: number; goldSpans: number }) =>
            `${n}\tP=${f(x.precision)}\tR=${f(x.recall)}\tF1=${f(x.f1)}\t(pred ${x.predSpans}, gold ${x.goldSpans} merged spans)`;
          const per = Object.entries(s.perLabel).map(([k, v]) => `${k.padEnd(34)} P=${v.precision.toFixed(3)} R=${v.recall.toFixed(3)} F1=${v.f1.toFixed(3)}`);
          out(s, `${line('span identification (labels ignored)', s.identification)}\n${line('span + technique', s.labelled)}\n\n${per.join('\n')}`);
          return 0;
        }
        default:
          throw new UsageError(`unknown --task '${values.task}' (expected 1, 2, 3 or 3-spans)`);
      }
    } catch (err) {
      if (err instanceof FormatError || (err instanceof Error && /^line \d+/.test(err.message))) throw new UserError(err.message);
      throw err;
    }
  },
};

export default command;
